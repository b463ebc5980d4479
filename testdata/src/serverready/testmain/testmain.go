// Package testmain holds the TestMain cases of the serverready analyzer.
package testmain
