package badtests

var n int = "x"
