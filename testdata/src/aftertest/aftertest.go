// Package aftertest is the code under test of the aftertest analyzer's
// cases.
package aftertest

import (
	"testing"

	"go.uber.org/mock/gomock"
)

// A MockStore is what mockgen generates for a Store interface.
type MockStore struct{ ctrl *gomock.Controller }

// NewMockStore returns a mock whose unexpected calls fail ctrl's test.
func NewMockStore(ctrl *gomock.Controller) *MockStore { return &MockStore{ctrl} } // want NewMockStore:`reports\(binds=0\)`

// Get records the call.
func (m *MockStore) Get(key string) string { // want Get:`reports\(logs=0\)`
	m.ctrl.Call(m, "Get", key)
	return ""
}

// EXPECT returns the recorder.
func (m *MockStore) EXPECT() *gomock.Call { return &gomock.Call{} }

// Work does some work.
func Work() error { return nil }

// Serve runs until stop is closed.
func Serve(stop <-chan struct{}) error {
	<-stop
	return nil
}

// LogTo logs msg on t: a helper of another package, known by its fact.
func LogTo(t testing.TB, msg string) { // want LogTo:`reports\(logs=0\)`
	t.Log(msg)
}
