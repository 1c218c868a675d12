"""Web helpers shared by the pages and the API of every feature: a button form, query-parameter parsing,
JSON errors. Views import from here, never from another feature's views."""
