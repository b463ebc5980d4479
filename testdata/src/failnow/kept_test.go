package failnow

import (
	"testing"

	"fasthttplike"
	"fiberlike"
	"fiberv3like"
	"natslike"
	"queuelike"
	"registrylike"
	"retrylike"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Callbacks that a library keeps and runs later, from a goroutine of its
// own (packages fiberlike, natslike), and their synchronous twins.

func TestFiberHandlerServedByAppTest(t *testing.T) {
	app := fiberlike.New()
	app.Get("/", func(c fiberlike.Ctx) error {
		t.Fatal("boom") // want `t.Fatal is called on a goroutine that app.Test starts at line 27 \(app.Get keeps the callback at line 23 and app.Test runs it from there\), not on the test's goroutine`
		return nil
	})
	app.Test("/")
}

func TestFiberRequireInHandler(t *testing.T) {
	app := fiberlike.New()
	app.Get("/", func(c fiberlike.Ctx) error {
		require.Equal(t, 1, 2) // want `require.Equal is called on a goroutine that app.Test starts`
		return c.SendString("ok")
	})
	if err := app.Test("/"); err != nil {
		t.Error(err)
	}
}

func TestFiberMiddleware(t *testing.T) {
	app := fiberlike.New()
	app.Get("/", func(c fiberlike.Ctx) error { return nil }, func(c fiberlike.Ctx) error {
		t.FailNow() // want `t.FailNow is called on a goroutine that app.Test starts`
		return nil
	})
	app.Test("/")
}

// The router run by the test itself, on a request context it made: the
// handler runs on the test's goroutine.
func TestFiberHandlerRunSynchronously(t *testing.T) {
	app := fiberlike.New()
	app.Get("/", func(c fiberlike.Ctx) error {
		t.Fatal("runs on the test's goroutine")
		return nil
	})
	app.Handler()(&fasthttplike.RequestCtx{Path: "/"})
}

// Kept, and never run on a goroutine by anything the test calls.
func TestFiberHandlerNeverServed(t *testing.T) {
	app := fiberlike.New()
	app.Get("/", func(c fiberlike.Ctx) error {
		t.Fatal("never runs")
		return nil
	})
}

func TestNatsSubscribe(t *testing.T) {
	var nc natslike.Conn
	nc.Subscribe("subject", func(m *natslike.Msg) {
		if len(m.Data) == 0 {
			t.Fatal("empty") // want `t.Fatal is called on a goroutine that nc.Subscribe starts at line 72 \(it keeps the callback and runs it from there\)`
		}
	})
}

// A registry that the test runs itself runs its hooks on the test's
// goroutine.
func TestRegistryRunByTest(t *testing.T) {
	var r registrylike.Registry
	r.Register(func() error {
		t.Fatal("runs on the test's goroutine")
		return nil
	})
	r.RunAll()
}

// Assertions on something that is not a testing value: FailNow of a retry
// harness's R, and of testify's CollectT, ends the goroutine they are made
// for, by design.

func TestRetryHarness(t *testing.T) {
	retrylike.Run(t, func(r *retrylike.R) {
		require.NoError(r, nil)
		require.True(r, true)
	})
}

func TestRetryHarnessWithTheTestsT(t *testing.T) {
	retrylike.Run(t, func(r *retrylike.R) {
		require.True(t, true) // want `require.True is called on a goroutine started by retrylike.Run`
	})
}

func TestRetryHarnessWithAWrapperOfT(t *testing.T) {
	w := retrylike.Wrap(t)
	retrylike.Run(t, func(r *retrylike.R) {
		require.True(w, true) // want `require.True is called on a goroutine started by retrylike.Run`
	})
}

func TestEventuallyWithTCollect(t *testing.T) {
	assert.EventuallyWithT(t, func(c *assert.CollectT) {
		require.True(c, false)
	}, 0, 0)
}

func TestEventuallyWithTTheTestsT(t *testing.T) {
	assert.EventuallyWithT(t, func(c *assert.CollectT) {
		require.True(t, false) // want `require.True is called on a goroutine started by assert.EventuallyWithT`
	}, 0, 0)
}

func TestEventuallyConditionRequire(t *testing.T) {
	assert.Eventually(t, func() bool {
		require.True(t, true) // want `require.True is called on a goroutine started by assert.Eventually`
		return true
	}, 0, 0)
}

// fiber v3's own shapes: Handler is an alias, Get and Use take any.
func TestFiberV3HandlerAsAny(t *testing.T) {
	app := fiberv3like.New()
	app.Get("/", func(c fiberv3like.Ctx) error {
		require.True(t, false) // want `require.True is called on a goroutine that app.Test starts`
		return nil
	})
	app.Use(func(c fiberv3like.Ctx) error {
		t.FailNow() // want `t.FailNow is called on a goroutine that app.Test starts`
		return nil
	})
	app.Test("/")
}

// Another registry's runner runs other callbacks.
func TestKeptOnOneServedByAnother(t *testing.T) {
	app, other := fiberlike.New(), fiberlike.New()
	app.Get("/", func(c fiberlike.Ctx) error {
		t.Fatal("app is never served")
		return nil
	})
	other.Test("/")
}

// Served before the handler was kept: the request saw no such handler.
func TestServedBeforeKept(t *testing.T) {
	app := fiberlike.New()
	app.Test("/")
	app.Get("/", func(c fiberlike.Ctx) error {
		t.Fatal("registered after the request")
		return nil
	})
}

// The test also runs the hooks itself, on its own goroutine.
func TestRegistryRunByTestAndKept(t *testing.T) {
	var r registrylike.Registry
	r.Register(func() error {
		t.Fatal("run by RunAll, on the test's goroutine")
		return nil
	})
	r.RunAll()
}

// A handler wrapped by middleware runs when the route is served.
func TestFiberHandlerInMiddleware(t *testing.T) {
	app := fiberlike.New()
	h := fiberlike.Timeout(func(c fiberlike.Ctx) error {
		t.FailNow() // want `t.FailNow is called on a goroutine that app.Test starts`
		return nil
	})
	app.Get("/", h)
	app.Test("/")
}

// Through an interface whose implementations keep and run the callback.
func TestNatsSubscribeThroughInterface(t *testing.T) {
	var nc natslike.Conn
	js := natslike.NewJetStream(&nc)
	js.Subscribe("subject", func(m *natslike.Msg) {
		t.FailNow() // want `t.FailNow is called on a goroutine that js.Subscribe starts`
	})
}

// A consumer that wraps the handler in a message handler of its own, which
// it subscribes: the handler runs on the subscription's goroutine.
func TestNatsConsumeWrapsTheHandler(t *testing.T) {
	var nc natslike.Conn
	js := natslike.NewJetStream(&nc)
	js.Consume("subject", func(data []byte) {
		t.Fatalf("got %s", data) // want `t.Fatalf is called on a goroutine that js.Consume starts`
	})
}

// A router that hands its kept handler to the method that calls it, on
// the goroutine it starts for the handler (watermill's message.Router).
func TestHandlerAQueueHandsOnOnItsGoroutine(t *testing.T) {
	in := make(chan string)
	r := &queuelike.Router{}
	r.AddHandler(in, func(msg string) {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that r.Run starts at line 215 \(r.AddHandler keeps the callback at line 212`
	})
	r.Run()
	in <- "m"
}

// Negative: the router hands the message to its handlers on the test's
// goroutine.
func TestHandlerAQueueHandsOnHere(t *testing.T) {
	r := &queuelike.Router{}
	r.AddHandler(nil, func(msg string) {
		t.Fatal("x")
	})
	r.Handle("m")
}
