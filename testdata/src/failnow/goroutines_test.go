package failnow

import (
	"errors"
	"testing"
	tst "testing"
)

func work() error { return errors.New("x") }

func TestFatalInGoStatement(t *testing.T) {
	done := make(chan bool)
	go func() {
		if err := work(); err != nil {
			t.Fatal(err) // want `t.Fatal is called on a goroutine started at line 13, not on the test's goroutine; FailNow there only ends that goroutine: use t.Error and return`
		}
		done <- true
	}()
	<-done
}

func TestFatalfFailNowSkip(t *testing.T) {
	go func() {
		t.Fatalf("x %d", 1) // want `t.Fatalf is called on a goroutine .* use t.Errorf and return`
	}()
	go func() {
		t.FailNow() // want `t.FailNow is called on a goroutine .* use t.Fail and return`
	}()
	go func() {
		t.Skip("no") // want `t.Skip is called on a goroutine .*; SkipNow there only ends that goroutine: decide to skip on the test's goroutine`
	}()
}

func TestGoroutineTakingT(t *testing.T) {
	go func(tt *testing.T) {
		tt.Fatal("x") // want `tt.Fatal is called on a goroutine`
	}(t)
}

func TestGoNamedHelper(t *testing.T) {
	go fatalHelper(t) // want `fatalHelper is called on a goroutine started at line 41`
}

func fatalHelper(t *testing.T) { t.Fatal("x") }

func TestGoGenericHelper(t *testing.T) {
	go genericFatal[int](t, 1) // want `genericFatal\[int\] is called on a goroutine`
	go genericFatal(t, "x")    // want `genericFatal is called on a goroutine`
}

func genericFatal[T any](t testing.TB, v T) { t.Fatal(v) }

func TestMethodValue(t *testing.T) {
	f := t.Fatal
	go func() {
		f("x") // want `t.Fatal is called on a goroutine`
	}()
	go t.Fatal("y") // want `t.Fatal is called on a goroutine`
}

func TestClosureVariable(t *testing.T) {
	sendf := func(format string, args ...any) {
		t.Fatalf(format, args...)
	}
	go func() {
		sendf("x") // want `sendf is called on a goroutine`
	}()
	sendf("on the test's goroutine: fine")
}

func TestHelperInGoroutine(t *testing.T) {
	go func() {
		fatalHelper(t) // want `fatalHelper is called on a goroutine`
		deeper(t)      // want `deeper is called on a goroutine`
	}()
}

func deeper(t *testing.T) { fatalHelper(t) }

func TestTestingTB(t *testing.T) {
	var tb testing.TB = t
	go func() {
		tb.Fatal("x") // want `tb.Fatal is called on a goroutine`
	}()
}

func TestAliasedImport(t *tst.T) {
	go func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine`
	}()
}

func BenchmarkGoroutine(b *testing.B) {
	go func() {
		b.Fatal("x") // want `b.Fatal is called on a goroutine`
	}()
}

func BenchmarkGoInsideRunParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		done := make(chan bool)
		go func() {
			defer close(done)
			b.Fatal("x") // want `b.Fatal is called on a goroutine started at line 102`
		}()
		<-done
	})
}

func FuzzGoroutine(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		go func() {
			t.Fatal("x") // want `t.Fatal is called on a goroutine`
		}()
		f.Fatal("x") // want `f.Fatal is called inside the fuzz target`
	})
}

type holder struct{ t *testing.T }

func (h *holder) suite() *testing.T { return h.t }

func TestFieldAndAccessor(t *testing.T) {
	h := &holder{t: t}
	go func() {
		h.t.Fatal("x")       // want `h.t.Fatal is called on a goroutine`
		h.suite().Fatal("y") // want `h.suite\(\).Fatal is called on a goroutine`
	}()
}

func TestNestedGoroutines(t *testing.T) {
	go func() {
		go func() {
			t.Fatal("x") // want `t.Fatal is called on a goroutine started at line 133`
		}()
	}()
}

func TestAliasInsideGoroutine(t *testing.T) {
	go func() {
		tt := t
		tt.Fatal("x") // want `tt.Fatal is called on a goroutine`
	}()
}

func TestDeferredInGoroutine(t *testing.T) {
	go func() {
		defer func() {
			t.Fatal("x") // want `t.Fatal is called on a goroutine`
		}()
	}()
}

func TestFuncVariableReassigned(t *testing.T) {
	f := func(t1 *testing.T) {
		t1.Fatal("x") // want `t1.Fatal is called on a goroutine started at line 158`
	}
	go f(t)
	f = func(t2 *testing.T) {
		t2.Error("y")
	}
	go f(t)
}

func TestTempDirInGoroutine(t *testing.T) {
	go func() {
		_ = t.TempDir()    // want `t.TempDir is called on a goroutine`
		t.Setenv("K", "v") // want `t.Setenv is called on a goroutine`
	}()
}

func TestSetenvThroughTBInGoroutine(t *testing.T) {
	var tb testing.TB = t
	go func() {
		tb.Setenv("K", "v") // want `tb.Setenv is called on a goroutine`
	}()
}

func TestLogAndNameInGoroutine(t *testing.T) {
	var tb testing.TB = t
	done := make(chan struct{})
	go func() {
		defer close(done)
		tb.Log(tb.Name())
		_ = t.Context()
	}()
	<-done
}

// A testing value, or a value holding one, received from a channel on a
// goroutine that no test runs belongs to another goroutine's test
// (amqp091-go's session := <-srv.Sessions).
type channelSession struct{ *testing.T }

func (s *channelSession) check(ok bool) {
	if !ok {
		s.Fatalf("check failed")
	}
}

func TestSessionReceivedFromAChannel(t *testing.T) {
	sessions := make(chan *channelSession, 1)
	sessions <- &channelSession{t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := <-sessions
		s.check(false) // want `s.check is called on a goroutine started at line`
	}()
	<-done
}

// Negative: a subtest's own testing value, through a channel of its own.
func TestSubtestReceivesItsOwnTestingValue(t *testing.T) {
	values := make(chan *testing.T, 1)
	t.Run("a", func(st *testing.T) {
		values <- st
		got := <-values
		got.Fatal("own")
	})
}
