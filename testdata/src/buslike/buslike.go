// Package buslike keeps callbacks in a field of an unnamed function type
// and calls them from a goroutine it starts for each subscription.
package buslike

// Msg is a message.
type Msg struct{ Data string }

type sub struct{ cb func(*Msg) }

// Bus delivers messages.
type Bus struct{ subs []*sub }

// Subscribe keeps cb and delivers messages to it from a goroutine.
func (b *Bus) Subscribe(cb func(*Msg)) { // want Subscribe:"stores=1:buslike:func\\(\\*buslike.Msg\\)@0 runsstored=buslike:func\\(\\*buslike.Msg\\)"
	s := &sub{cb: cb}
	b.subs = append(b.subs, s)
	go b.deliver(s)
}

func (b *Bus) deliver(s *sub) { // want deliver:"callsstored=buslike:func\\(\\*buslike.Msg\\)"
	s.cb(&Msg{Data: "x"})
}
