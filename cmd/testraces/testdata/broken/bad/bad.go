// Package bad does not type-check.
package bad

func N() int { return "x" }
