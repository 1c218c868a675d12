"""Space hosts: submit, claim and edit listings and their visa terms."""
