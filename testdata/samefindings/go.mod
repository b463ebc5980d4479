module samefindings

go 1.26.0
