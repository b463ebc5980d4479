// Package testmainpoll starts its server in TestMain and waits for it.
package testmainpoll
