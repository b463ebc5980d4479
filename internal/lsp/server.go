// Package lsp is testraces' language server: it speaks the Language
// Server Protocol over one connection (the editor's stdio), analyses the
// package of each Go file the editor opens or saves with the analyzers it
// is given, publishes their findings as diagnostics, and offers their
// suggested fixes as quick-fix code actions.
//
// It runs beside gopls, which cannot load third-party analyzers: gopls
// reports compile errors and go vet's findings, this server testraces'.
package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"golang.org/x/tools/go/analysis"
)

// Options configure a server.
type Options struct {
	// Analyzers are the analyzers every run applies.
	Analyzers []*analysis.Analyzer
	// Log receives what the server has to say beyond the protocol; nil
	// discards it.
	Log *log.Logger
	// Version is the server's version, for initialize's serverInfo.
	Version string
	// ChangeDelay is how long after an edit the server waits for the
	// next before it analyses the unsaved text; zero means 300 ms.
	ChangeDelay time.Duration
}

// defaultChangeDelay is the pause in typing after which the server
// analyses the buffer: a few hundred milliseconds, as gopls waits.
const defaultChangeDelay = 300 * time.Millisecond

// JSON-RPC error codes LSP adds to JSON-RPC's.
const (
	codeServerNotInitialized = -32002
)

// Serve serves one client on rwc until it sends exit or the connection
// closes, and returns nil when the client shut the server down first, as
// the protocol asks, an error otherwise.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	s := newServer(ctx, opts)
	conn := jsonrpc2.NewConn(s.ctx, newStream(rwc), s, jsonrpc2.SetLogger(s.log))
	select {
	case <-s.exited:
	case <-conn.DisconnectNotify():
	}
	// Cancel the runs and close the connection before waiting for them,
	// so that none is left blocked writing to a client that is gone.
	s.cancel()
	conn.Close()
	s.runs.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stateShutdown {
		return errors.New("the connection ended without shutdown")
	}
	return nil
}

// Server states, in order.
const (
	stateNew = iota
	stateRunning
	stateShutdown
)

// A server is one client's session.
type server struct {
	analyzers []*analysis.Analyzer
	log       *log.Logger
	version   string
	delay     time.Duration   // after an edit, before its run
	ctx       context.Context // cancelled when the session ends
	cancel    context.CancelFunc
	exited    chan struct{} // closed by exit
	exitOnce  sync.Once
	runs      sync.WaitGroup // analysis runs in flight

	mu        sync.Mutex // guards what follows
	state     int
	progress  bool                       // the client shows $/progress
	versioned bool                       // the client takes documentChanges in workspace edits
	docs      map[string]*document       // open documents, by path
	results   map[string]*result         // the last result, by package directory
	early     map[string]*result         // by package directory, what the run in flight published early
	inFlight  map[string]*run            // the run in flight, by package directory
	published map[string]map[string]bool // by package directory, the files last given diagnostics
	warned    map[string]bool            // files told they are outside any module, directories that they need a newer Go
	tokens    int                        // progress tokens made
}

// A document is an open file as the editor holds it.
type document struct {
	uri     string // as the client spells it
	version int32
	text    []byte
}

// A run is one analysis of a package in flight.
type run struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when it has published or given up
}

func newServer(ctx context.Context, opts Options) *server {
	logger := opts.Log
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	ctx, cancel := context.WithCancel(ctx)
	delay := opts.ChangeDelay
	if delay <= 0 {
		delay = defaultChangeDelay
	}
	return &server{
		analyzers: guarded(opts.Analyzers),
		log:       logger,
		version:   opts.Version,
		delay:     delay,
		ctx:       ctx,
		cancel:    cancel,
		exited:    make(chan struct{}),
		docs:      map[string]*document{},
		results:   map[string]*result{},
		early:     map[string]*result{},
		inFlight:  map[string]*run{},
		published: map[string]map[string]bool{},
		warned:    map[string]bool{},
	}
}

// Handle answers one message. It runs on the connection's reading
// goroutine, so messages are handled in the order they came (a didChange
// before the didSave after it); analysis runs on goroutines of its own.
func (s *server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	result, err := s.handle(conn, req)
	if req.Notif {
		if err != nil {
			s.log.Printf("%s: %v", req.Method, err)
		}
		return
	}
	if err != nil {
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) {
			rpcErr = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
		}
		conn.ReplyWithError(ctx, req.ID, rpcErr)
		return
	}
	conn.Reply(ctx, req.ID, result)
}

// handle dispatches a message by method, turning a panic into an
// internal error: a bug costs one answer, not the session.
func (s *server) handle(conn *jsonrpc2.Conn, req *jsonrpc2.Request) (result any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("panic handling %s: %v\n%s", req.Method, r, debug.Stack())
			result, err = nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	if err := s.admits(req); err != nil {
		return nil, err
	}
	switch req.Method {
	case "initialize":
		return withParams(req, s.initialize)
	case "initialized":
		return nil, nil
	case "shutdown":
		return s.shutdown()
	case "exit":
		s.exitOnce.Do(func() { close(s.exited) })
		return nil, nil
	case "textDocument/didOpen":
		return withParams(req, func(p DidOpenTextDocumentParams) (any, error) { return nil, s.didOpen(conn, p) })
	case "textDocument/didChange":
		return withParams(req, func(p DidChangeTextDocumentParams) (any, error) { return nil, s.didChange(conn, p) })
	case "textDocument/didSave":
		return withParams(req, func(p DidSaveTextDocumentParams) (any, error) { return nil, s.didSave(conn, p) })
	case "textDocument/didClose":
		return withParams(req, func(p DidCloseTextDocumentParams) (any, error) { return nil, s.didClose(p) })
	case "textDocument/codeAction":
		return withParams(req, s.codeAction)
	}
	if req.Notif {
		return nil, nil // notifications the server has no use for ($/cancelRequest, workspace/...)
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
}

// admits returns the error for a message the session's state does not
// allow: anything but initialize before it, a second initialize, anything
// but exit after shutdown.
func (s *server) admits(req *jsonrpc2.Request) error {
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case req.Method == "exit":
		return nil
	case state == stateNew && req.Method != "initialize":
		return &jsonrpc2.Error{Code: codeServerNotInitialized, Message: "the server is not initialized"}
	case state != stateNew && req.Method == "initialize":
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is already initialized"}
	case state == stateShutdown:
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shut down"}
	}
	return nil
}

// withParams decodes a message's parameters for f, answering
// parameters that do not decode with an invalid-params error.
func withParams[P any](req *jsonrpc2.Request, f func(P) (any, error)) (any, error) {
	var p P
	if req.Params == nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: req.Method + ": missing params"}
	}
	if err := json.Unmarshal(*req.Params, &p); err != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: req.Method + ": " + err.Error()}
	}
	return f(p)
}

func (s *server) initialize(p InitializeParams) (any, error) {
	s.mu.Lock()
	s.state = stateRunning
	s.progress = p.Capabilities.Window.WorkDoneProgress
	s.versioned = p.Capabilities.Workspace.WorkspaceEdit.DocumentChanges
	s.mu.Unlock()
	return InitializeResult{
		Capabilities: ServerCapabilities{
			TextDocumentSync:   TextDocumentSyncOptions{OpenClose: true, Change: syncFull, Save: SaveOptions{}},
			CodeActionProvider: CodeActionOptions{CodeActionKinds: []string{kindQuickFix}},
		},
		ServerInfo: ServerInfo{Name: "testraces", Version: s.version},
	}, nil
}

func (s *server) shutdown() (any, error) {
	s.mu.Lock()
	s.state = stateShutdown
	for _, r := range s.inFlight {
		r.cancel()
	}
	s.mu.Unlock()
	return nil, nil
}

// goFile returns the path of a Go file's URI, or "" for anything else
// (the server is only asked about Go, but a client may send all files).
func goFile(uri string) string {
	path := uriPath(uri)
	if !strings.HasSuffix(path, ".go") {
		return ""
	}
	return path
}

func (s *server) didOpen(conn *jsonrpc2.Conn, p DidOpenTextDocumentParams) error {
	path := goFile(p.TextDocument.URI)
	if path == "" {
		return nil
	}
	s.mu.Lock()
	s.docs[path] = &document{uri: p.TextDocument.URI, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.mu.Unlock()
	s.schedule(conn, path, 0)
	return nil
}

// didChange keeps the document's text and analyses it after a pause in
// typing: a newer edit supersedes the run, waiting or under way.
func (s *server) didChange(conn *jsonrpc2.Conn, p DidChangeTextDocumentParams) error {
	path := goFile(p.TextDocument.URI)
	s.mu.Lock()
	doc := s.docs[path]
	if doc == nil {
		s.mu.Unlock()
		return nil
	}
	text := doc.text
	for _, c := range p.ContentChanges {
		text = applyChange(text, c)
	}
	// A new document value: runs hold on to the old one's text.
	s.docs[path] = &document{uri: doc.uri, version: p.TextDocument.Version, text: text}
	s.mu.Unlock()
	s.schedule(conn, path, s.delay)
	return nil
}

// applyChange applies one change: the whole text (what the server asks
// for), or a range's replacement (what a client may send anyway).
func applyChange(text []byte, c TextDocumentContentChangeEvent) []byte {
	if c.Range == nil {
		return []byte(c.Text)
	}
	m := newMapper(text)
	start, end := m.offset(c.Range.Start), m.offset(c.Range.End)
	if end < start {
		start, end = end, start
	}
	return slices.Concat(text[:start], []byte(c.Text), text[end:])
}

func (s *server) didSave(conn *jsonrpc2.Conn, p DidSaveTextDocumentParams) error {
	path := goFile(p.TextDocument.URI)
	if path == "" {
		return nil
	}
	if p.Text != nil {
		s.mu.Lock()
		if doc := s.docs[path]; doc != nil {
			s.docs[path] = &document{uri: doc.uri, version: doc.version, text: []byte(*p.Text)}
		}
		s.mu.Unlock()
	}
	s.schedule(conn, path, 0)
	return nil
}

// didClose forgets the document; its diagnostics stay, as those of the
// package's other files do.
func (s *server) didClose(p DidCloseTextDocumentParams) error {
	s.mu.Lock()
	delete(s.docs, uriPath(p.TextDocument.URI))
	s.mu.Unlock()
	return nil
}

// schedule starts a run for the package of file after delay, superseding
// the one in flight for that package: it is cancelled (one still waiting,
// or an incremental run; a full load finishes, and leaves its result for
// the runs after it), and the new run starts when it has stopped, so that
// two loads of one package never compete.
func (s *server) schedule(conn *jsonrpc2.Conn, file string, delay time.Duration) {
	dir := filepath.Dir(file)
	ctx, cancel := context.WithCancel(s.ctx)
	r := &run{cancel: cancel, done: make(chan struct{})}
	s.mu.Lock()
	prev := s.inFlight[dir]
	if prev != nil {
		prev.cancel()
	}
	s.inFlight[dir] = r
	docs := s.snapshotLocked()
	s.mu.Unlock()
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		defer close(r.done)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				s.log.Printf("panic analysing %s: %v\n%s", dir, p, debug.Stack())
			}
		}()
		if delay > 0 {
			timer := time.NewTimer(delay)
			select {
			case <-ctx.Done():
			case <-timer.C:
			}
			timer.Stop()
		}
		if prev != nil {
			<-prev.done
		}
		s.run(ctx, conn, r, dir, file, docs)
		s.mu.Lock()
		if s.inFlight[dir] == r {
			delete(s.inFlight, dir)
		}
		s.mu.Unlock()
	}()
}

// snapshotLocked returns the open documents as they are now.
func (s *server) snapshotLocked() map[string]*document {
	docs := make(map[string]*document, len(s.docs))
	for path, doc := range s.docs {
		docs[path] = doc // documents are never changed, only replaced
	}
	return docs
}

// run analyses the package in dir, or reuses the last result if nothing
// it read has changed, and publishes the diagnostics of the package's
// files unless a newer run superseded it.
func (s *server) run(ctx context.Context, conn *jsonrpc2.Conn, r *run, dir, file string, docs map[string]*document) {
	if ctx.Err() != nil {
		return
	}
	overlay := unsaved(docs)
	// The versions of the documents the run read: code actions are given
	// only for a document that is still at that version.
	versions := map[string]int32{}
	for path, doc := range docs {
		versions[path] = doc.version
	}
	s.mu.Lock()
	cached := s.results[dir]
	s.mu.Unlock()
	res := cached
	if cached == nil || !cached.stamp.current(overlay) {
		var end func()
		if cached == nil {
			end = s.beginProgress(ctx, conn, "Analysing "+dir)
		}
		var err error
		start := time.Now()
		// A newer run cancels an incremental one, not a full load,
		// whose graph makes the runs after it incremental.
		actx := context.WithValue(ctx, loadContextKey{}, s.ctx)
		res, err = analyze(actx, dir, overlay, s.analyzers, cached, func(files []string, findings map[string][]*finding) {
			s.publishEarly(conn, r, dir, &result{dir: dir, files: files, findings: findings, versions: versions})
		})
		if end != nil {
			end()
		}
		if err != nil {
			s.failed(ctx, conn, file, err)
			return
		}
		s.log.Printf("analysed %s in %v: %s", dir, time.Since(start).Round(time.Millisecond), res.how)
		for _, e := range res.errors {
			s.notify(conn, "window/logMessage", ShowMessageParams{Type: MessageError, Message: "testraces: " + e})
		}
	}
	// A run superseded after it was done, or that was not cancelled,
	// still leaves its result for the next (which waits for it), but
	// publishes nothing.
	s.mu.Lock()
	reused := *res
	reused.versions = versions
	s.results[dir] = &reused
	if cached != nil && cached.graph != nil {
		cached.graph.release(res.graph)
	}
	if s.inFlight[dir] != r {
		s.mu.Unlock()
		return
	}
	delete(s.early, dir)
	pubs := s.publicationsLocked(&reused)
	s.mu.Unlock()
	for _, p := range pubs {
		s.notify(conn, "textDocument/publishDiagnostics", p)
	}
}

// publishEarly publishes the diagnostics of the files of one analysed
// package that a run found before it is over, unless a newer run
// superseded it: the file being edited is usually in the package that
// is done first, and the rest follows with the run's result.
func (s *server) publishEarly(conn *jsonrpc2.Conn, r *run, dir string, part *result) {
	s.mu.Lock()
	if s.inFlight[dir] != r {
		s.mu.Unlock()
		return
	}
	// Kept for code actions on these files until the run is over.
	if e := s.early[dir]; e != nil && maps.Equal(e.versions, part.versions) {
		e.files = append(e.files, part.files...)
		maps.Copy(e.findings, part.findings)
	} else {
		s.early[dir] = part
	}
	var pubs []PublishDiagnosticsParams
	for _, f := range part.files {
		diags := []Diagnostic{}
		for _, fd := range part.findings[f] {
			diags = append(diags, fd.diag)
		}
		pubs = append(pubs, s.publicationLocked(part, f, diags))
	}
	s.mu.Unlock()
	for _, p := range pubs {
		s.notify(conn, "textDocument/publishDiagnostics", p)
	}
}

// unsaved returns the open documents whose text is not the file's on
// disk, as a go/packages overlay. Documents as saved are left to the disk,
// so that opening a file does not make the last result look stale.
func unsaved(docs map[string]*document) map[string][]byte {
	overlay := map[string][]byte{}
	for path, doc := range docs {
		if disk, err := os.ReadFile(path); err != nil || !bytes.Equal(disk, doc.text) {
			overlay[path] = doc.text
		}
	}
	return overlay
}

// failed tells the user why a run gave no result: once per file for one
// outside any module, once per directory for code that needs a newer Go,
// every time for a load that failed; nothing for a run that was
// cancelled.
func (s *server) failed(ctx context.Context, conn *jsonrpc2.Conn, file string, err error) {
	var newer *newerGoError
	switch {
	case ctx.Err() != nil:
		return
	case errors.As(err, &newer):
		s.log.Printf("analysing %s: %v", file, err)
		key := "newer Go: " + filepath.Dir(file)
		s.mu.Lock()
		told := s.warned[key]
		s.warned[key] = true
		s.mu.Unlock()
		if !told {
			s.notify(conn, "window/showMessage", ShowMessageParams{Type: MessageError, Message: newer.m.Message()})
		}
	case errors.Is(err, errOutsideModule):
		s.mu.Lock()
		told := s.warned[file]
		s.warned[file] = true
		s.mu.Unlock()
		if !told {
			s.notify(conn, "window/showMessage", ShowMessageParams{
				Type:    MessageWarning,
				Message: fmt.Sprintf("testraces: %s is not in a Go module (no go.mod in its directory or above), so it is not analysed", file),
			})
		}
	default:
		s.log.Printf("analysing %s: %v", file, err)
		s.notify(conn, "window/showMessage", ShowMessageParams{Type: MessageError, Message: fmt.Sprintf("testraces: analysing %s: %v", filepath.Base(file), err)})
	}
}

// publicationsLocked returns the diagnostics to publish for res: for
// every file of the package, and an empty list for each file that had
// some before and is no longer in it.
func (s *server) publicationsLocked(res *result) []PublishDiagnosticsParams {
	files := slices.Clone(res.files)
	for f := range res.findings {
		files = append(files, f)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	now := map[string]bool{}
	var pubs []PublishDiagnosticsParams
	for _, f := range files {
		diags := []Diagnostic{}
		for _, fd := range res.findings[f] {
			diags = append(diags, fd.diag)
		}
		if len(diags) > 0 {
			now[f] = true
		}
		pubs = append(pubs, s.publicationLocked(res, f, diags))
	}
	for f := range s.published[res.dir] {
		if _, ok := slices.BinarySearch(files, f); !ok {
			pubs = append(pubs, s.publicationLocked(res, f, []Diagnostic{}))
		}
	}
	s.published[res.dir] = now
	return pubs
}

// publicationLocked returns the diagnostics of file, with the version of
// the document that res analysed when it was open.
func (s *server) publicationLocked(res *result, file string, diags []Diagnostic) PublishDiagnosticsParams {
	p := PublishDiagnosticsParams{URI: s.uriLocked(file), Diagnostics: diags}
	if v, ok := res.versions[file]; ok {
		p.Version = &v
	}
	return p
}

// uriLocked returns the URI of a file as the client spells it if it has
// the file open, so that it finds its document by it.
func (s *server) uriLocked(file string) string {
	if doc := s.docs[file]; doc != nil {
		return doc.uri
	}
	return pathURI(file)
}

// codeAction returns a quick fix for each suggested fix of each finding
// at the range, with the edits of every file it changes. The fixes were
// made from the text of the last run: it returns none for a document
// edited since, whose positions have moved, nor a fix that edits another
// document edited (or opened, or closed) since. For a client that takes
// them, the edits are documentChanges that carry the version of each
// document the fix was made from (null: the file on disk), so that the
// client applies none to other text.
func (s *server) codeAction(p CodeActionParams) (any, error) {
	actions := []CodeAction{}
	path := goFile(p.TextDocument.URI)
	if path == "" || !wantsQuickFix(p.Context.Only) {
		return actions, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res := s.results[filepath.Dir(path)]
	if doc := s.docs[path]; doc != nil {
		current := func(res *result) bool {
			if res == nil {
				return false
			}
			v, ok := res.versions[path]
			return ok && v == doc.version
		}
		if !current(res) {
			// The run in flight may have published this file's
			// findings for this version already.
			res = s.early[filepath.Dir(path)]
			if res == nil || !current(res) || !slices.Contains(res.files, path) {
				return actions, nil
			}
		}
	}
	if res == nil {
		return actions, nil
	}
	for _, f := range res.findings[path] {
		if !f.touches(path, p.Range) {
			continue
		}
		for _, fix := range f.fixes {
			edit, ok := s.workspaceEditLocked(res, fix)
			if !ok {
				continue
			}
			actions = append(actions, CodeAction{
				Title:       fix.title,
				Kind:        kindQuickFix,
				Diagnostics: []Diagnostic{f.diag},
				IsPreferred: len(f.fixes) == 1,
				Edit:        edit,
			})
		}
	}
	return actions, nil
}

// workspaceEditLocked returns a fix's edits as a workspace edit for the
// client, failing when a document it edits is not at the version the
// run read (or was not open then and is now, or the other way round).
func (s *server) workspaceEditLocked(res *result, fix quickFix) (*WorkspaceEdit, bool) {
	edit := &WorkspaceEdit{}
	if !s.versioned {
		edit.Changes = map[string][]TextEdit{}
	}
	for _, file := range slices.Sorted(maps.Keys(fix.edits)) {
		v, read := res.versions[file]
		doc := s.docs[file]
		if read != (doc != nil) || read && v != doc.version {
			return nil, false
		}
		uri := s.uriLocked(file)
		if !s.versioned {
			edit.Changes[uri] = fix.edits[file]
			continue
		}
		id := OptionalVersionedTextDocumentIdentifier{URI: uri}
		if read {
			id.Version = &v
		}
		edit.DocumentChanges = append(edit.DocumentChanges, TextDocumentEdit{TextDocument: id, Edits: fix.edits[file]})
	}
	return edit, true
}

// wantsQuickFix reports whether a request's only (none: every kind)
// admits quick fixes.
func wantsQuickFix(only []string) bool {
	return len(only) == 0 || slices.ContainsFunc(only, func(k string) bool {
		return k == kindQuickFix || k == "" || strings.HasPrefix(kindQuickFix, k+".")
	})
}

// touches reports whether the finding's range or one of its fixes' edits
// in file overlaps rng.
func (f *finding) touches(file string, rng Range) bool {
	if overlaps(f.diag.Range, rng) {
		return true
	}
	for _, fix := range f.fixes {
		for _, e := range fix.edits[file] {
			if overlaps(e.Range, rng) {
				return true
			}
		}
	}
	return false
}

// overlaps reports whether two ranges share a position, their ends
// included: a cursor at the end of a range is on it.
func overlaps(a, b Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

func before(p, q Position) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Character < q.Character
}

// beginProgress shows a progress report while a first load runs, if the
// client takes them, and returns the function that ends it.
func (s *server) beginProgress(ctx context.Context, conn *jsonrpc2.Conn, message string) func() {
	s.mu.Lock()
	if !s.progress {
		s.mu.Unlock()
		return nil
	}
	s.tokens++
	token := fmt.Sprintf("testraces-%d", s.tokens)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.Call(ctx, "window/workDoneProgress/create", WorkDoneProgressCreateParams{Token: token}, nil); err != nil {
		return nil
	}
	s.progressValue(conn, token, WorkDoneProgress{Kind: "begin", Title: "testraces", Message: message})
	return func() { s.progressValue(conn, token, WorkDoneProgress{Kind: "end"}) }
}

func (s *server) progressValue(conn *jsonrpc2.Conn, token string, v WorkDoneProgress) {
	data, _ := json.Marshal(v)
	s.notify(conn, "$/progress", ProgressParams{Token: token, Value: data})
}

// notify sends a notification; one the connection cannot send any more
// (the client left) is dropped.
func (s *server) notify(conn *jsonrpc2.Conn, method string, params any) {
	if err := conn.Notify(context.Background(), method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		s.log.Printf("sending %s: %v", method, err)
	}
}
