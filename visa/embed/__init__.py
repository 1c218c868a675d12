"""The embeddable map: the directory's map in another site's page, and the page that writes its <iframe>."""
