module example.com/go124

go 1.24
