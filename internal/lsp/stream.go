package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/sourcegraph/jsonrpc2"
)

// maxMessage bounds the size of one message, so that a wrong
// Content-Length cannot make the server allocate without limit.
const maxMessage = 256 << 20

// stream frames JSON-RPC messages with LSP's Content-Length headers.
//
// Unlike jsonrpc2's own codec, which closes the connection on the first
// message it cannot decode, it answers a malformed message with a
// JSON-RPC error (parse error, invalid request) and reads on: one bad
// message from a client must not end the session.
type stream struct {
	r *bufio.Reader
	c io.Closer

	mu sync.Mutex // serializes writes: jsonrpc2's and the error replies
	w  io.Writer
}

func newStream(rwc io.ReadWriteCloser) *stream {
	return &stream{r: bufio.NewReader(rwc), w: rwc, c: rwc}
}

// errBadFrame is a message whose headers are wrong; reading goes on after it.
var errBadFrame = errors.New("bad message header")

// ReadObject reads the next well-formed message into v, replying with an
// error to each malformed one before it.
func (s *stream) ReadObject(v any) error {
	for {
		body, err := s.readFrame()
		if errors.Is(err, errBadFrame) {
			s.replyError(nil, jsonrpc2.CodeParseError, err.Error())
			continue
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, v); err != nil {
			s.replyMalformed(body, err)
			continue
		}
		return nil
	}
}

// readFrame reads the headers and the body of one message. Headers that
// are wrong are read to their end before the error, so that reading goes
// on with the next message.
func (s *stream) readFrame() ([]byte, error) {
	length := -1
	var bad error
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 || n > maxMessage {
				bad = fmt.Errorf("%w: Content-Length %q", errBadFrame, strings.TrimSpace(value))
				continue
			}
			length = n
		}
	}
	if bad != nil {
		return nil, bad
	}
	if length < 0 {
		return nil, fmt.Errorf("%w: no Content-Length", errBadFrame)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// replyMalformed answers a message that is not JSON (a parse error) or
// not a JSON-RPC request or response (an invalid request), with its id
// when it has one.
func (s *stream) replyMalformed(body []byte, err error) {
	if !json.Valid(body) {
		s.replyError(nil, jsonrpc2.CodeParseError, "parse error: "+err.Error())
		return
	}
	var msg struct {
		ID json.RawMessage `json:"id"`
	}
	json.Unmarshal(body, &msg) // a message that is not an object has no id
	s.replyError(msg.ID, jsonrpc2.CodeInvalidRequest, "invalid request: "+err.Error())
}

// replyError writes an error response; a nil id is JSON's null.
func (s *stream) replyError(id json.RawMessage, code int64, message string) {
	if !validID(id) {
		id = json.RawMessage("null")
	}
	s.WriteObject(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   jsonrpc2.Error  `json:"error"`
	}{"2.0", id, jsonrpc2.Error{Code: code, Message: message}})
}

// validID reports whether id is a JSON-RPC id: a number or a string.
func validID(id json.RawMessage) bool {
	var v any
	if json.Unmarshal(id, &v) != nil {
		return false
	}
	switch v.(type) {
	case float64, string:
		return true
	}
	return false
}

// WriteObject writes one message.
func (s *stream) WriteObject(obj any) error {
	body, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.w, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return err
	}
	_, err = s.w.Write(body)
	return err
}

// Close closes the connection.
func (s *stream) Close() error { return s.c.Close() }
