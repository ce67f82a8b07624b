"""`oversight benchmark load`: the web pages under load on a whole parliament's register."""
