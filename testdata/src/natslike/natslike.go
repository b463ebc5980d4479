// Package natslike is a stub of nats.go's shapes: Subscribe keeps the
// callback in the subscription and starts the goroutine that delivers the
// messages to it.
package natslike

// Msg is a message.
type Msg struct{ Data []byte }

// MsgHandler handles a message.
type MsgHandler func(msg *Msg)

// Subscription is a subscription.
type Subscription struct {
	mcb MsgHandler
	mch chan *Msg
}

// Conn is a connection.
type Conn struct {
	subs map[int]*Subscription
}

// Subscribe calls cb, from a goroutine of the subscription, for each
// message on subj.
func (nc *Conn) Subscribe(subj string, cb MsgHandler) (*Subscription, error) { // want Subscribe:"stores=2:natslike.MsgHandler@0 runsstored=natslike.MsgHandler"
	return nc.subscribe(subj, cb)
}

func (nc *Conn) subscribe(subj string, cb MsgHandler) (*Subscription, error) { // want subscribe:"stores=2:natslike.MsgHandler@result,2:natslike.MsgHandler@0 runsstored=natslike.MsgHandler"
	sub := &Subscription{mcb: cb, mch: make(chan *Msg, 1)}
	nc.subs[len(nc.subs)] = sub
	go nc.waitForMsgs(sub)
	return sub, nil
}

func (nc *Conn) waitForMsgs(s *Subscription) { // want waitForMsgs:"callsstored=natslike.MsgHandler"
	for m := range s.mch {
		mcb := s.mcb
		mcb(m)
	}
}

// JetStream subscribes through an interface, as nats.JetStreamContext and
// jetstream.Consumer do.
type JetStream interface {
	Subscribe(subj string, cb MsgHandler) (*Subscription, error) // want Subscribe:"stores=2:natslike.MsgHandler@0 runsstored=natslike.MsgHandler"
	Consume(subj string, handler ConsumeHandler) error           // want Consume:"stores=2:natslike.MsgHandler@0 runsstored=natslike.MsgHandler"
}

type js struct{ nc *Conn }

// NewJetStream returns the JetStream of nc.
func NewJetStream(nc *Conn) JetStream { return &js{nc: nc} } // want NewJetStream:"stores=0:natslike.MsgHandler@result"

func (j *js) Subscribe(subj string, cb MsgHandler) (*Subscription, error) { // want Subscribe:"stores=2:natslike.MsgHandler@0 runsstored=natslike.MsgHandler"
	return j.nc.subscribe(subj, cb)
}

// ConsumeHandler handles a consumed message.
type ConsumeHandler func(data []byte)

// Consume wraps handler in a message handler of its own and subscribes
// that, as jetstream's pullConsumer.Consume does: running the wrapper runs
// the handler.
func (j *js) Consume(subj string, handler ConsumeHandler) error { // want Consume:"stores=2:natslike.MsgHandler@0 runsstored=natslike.MsgHandler"
	internal := func(m *Msg) {
		handler(m.Data)
	}
	_, err := j.nc.Subscribe(subj, internal)
	return err
}

// Close closes the connection and its subscriptions.
func (nc *Conn) Close() {}
