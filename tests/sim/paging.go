package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/vmware/govmomi/vim25/types"
)

// Paging of RetrievePropertiesEx, which vcsim 0.24.2 answers in one piece
// whatever options.maxObjects says, and ContinueRetrievePropertiesEx /
// CancelRetrievePropertiesEx, which it lacks.
//
// vcsim computes the whole result once; it is cut into pages of raw
// <objects> elements, the first returned with a token, the rest kept for
// ContinueRetrievePropertiesEx. As on ESX, a token belongs to the session
// that got it and goes away with its page (the next page comes with a new
// one), the last page or CancelRetrievePropertiesEx.

const (
	maxTokensPerSession = 64
	tokenLifetime       = 30 * time.Minute
)

type pendingResult struct {
	session string
	pages   [][][]byte // pages of raw <objects> elements still to send
	created time.Time
}

type pager struct {
	pageSize int // cap from --page-size, 0: none

	mu     sync.Mutex
	tokens map[string]*pendingResult
}

func (f *front) registerPaging(pageSize int) {
	p := &pager{pageSize: pageSize, tokens: make(map[string]*pendingResult)}
	f.handle("RetrievePropertiesEx", func(c *soapCall) { p.retrieve(f, c) })
	f.handle("ContinueRetrievePropertiesEx", func(c *soapCall) { p.continueRetrieve(f, c) })
	f.handle("CancelRetrievePropertiesEx", func(c *soapCall) { p.cancel(f, c) })
}

// limit is the page size for a request: the client's maxObjects, capped by --page-size.
func (p *pager) limit(maxObjects int32) int {
	n := int(maxObjects)
	if p.pageSize > 0 && (n <= 0 || n > p.pageSize) {
		n = p.pageSize
	}
	return n
}

// maxObjectsOf reads options.maxObjects from a RetrievePropertiesEx body
// with a byte scan (0 when absent); ok is false when the scan cannot tell.
// Decoding every request with govmomi's reflective XML decoder before
// vcsim decodes it again doubled the simulator's cost of each small
// retrieval, a cost real ESX does not have and only clients that call
// RetrievePropertiesEx paid.
func maxObjectsOf(body []byte) (n int32, ok bool) {
	i := bytes.Index(body, []byte("maxObjects>"))
	if i < 0 {
		return 0, true
	}
	// one element, <maxObjects> or <prefix:maxObjects>, and its end tag
	if i == 0 || (body[i-1] != '<' && body[i-1] != ':') || bytes.Count(body, []byte("maxObjects>")) != 2 {
		return 0, false
	}
	rest := body[i+len("maxObjects>"):]
	end := bytes.IndexByte(rest, '<')
	if end < 0 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(bytes.TrimSpace(rest[:end])), 10, 32)
	if err != nil {
		return 0, false
	}
	return int32(v), true
}

func (p *pager) retrieve(f *front, c *soapCall) {
	maxObjects, ok := maxObjectsOf(c.body)
	if !ok {
		_, body, decoded := f.decode(c)
		if !decoded {
			return
		}
		maxObjects = body.(*types.RetrievePropertiesEx).Options.MaxObjects
	}
	limit := p.limit(maxObjects)
	if limit <= 0 {
		f.pass(c)
		return
	}

	rec := f.invoke(c.r, c.body)
	res := rec.Result()
	raw := rec.Body.Bytes() // no copy: a 10,000-VM result is megabytes, and
	// every copy is garbage that makes Go's collector scan vcsim's whole
	// inventory once more (simulator CPU that real ESX does not spend)
	if res.StatusCode != http.StatusOK {
		copyRecorded(c.w, res, raw)
		return
	}
	objects, err := splitObjects(raw)
	if err != nil || len(objects) <= limit {
		copyRecorded(c.w, res, raw)
		return
	}

	var pages [][][]byte
	for len(objects) > 0 {
		n := limit
		if n > len(objects) {
			n = len(objects)
		}
		pages = append(pages, objects[:n])
		objects = objects[n:]
	}
	token := p.store(c.session, pages[1:])
	writeResult(c.w, "RetrievePropertiesExResponse", token, pages[0])
}

func (p *pager) continueRetrieve(f *front, c *soapCall) {
	this, body, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	req := body.(*types.ContinueRetrievePropertiesEx)
	page, token, err := p.next(c.session, req.Token)
	if err != nil {
		writeFault(c.w, err.Error(), &types.InvalidArgument{InvalidProperty: "token"})
		return
	}
	writeResult(c.w, "ContinueRetrievePropertiesExResponse", token, page)
}

func (p *pager) cancel(f *front, c *soapCall) {
	this, body, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	req := body.(*types.CancelRetrievePropertiesEx)
	p.mu.Lock()
	r, found := p.tokens[req.Token]
	if found && r.session == c.session {
		delete(p.tokens, req.Token)
	}
	p.mu.Unlock()
	if !found || r.session != c.session {
		writeFault(c.w, fmt.Sprintf("unknown token %q", req.Token), &types.InvalidArgument{InvalidProperty: "token"})
		return
	}
	writeResponse(c.w, &types.CancelRetrievePropertiesExResponse{})
}

func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// store keeps the remaining pages and returns their token; it drops
// expired results and, past the per-session limit, the session's oldest.
func (p *pager) store(session string, pages [][][]byte) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	var oldest string
	count := 0
	for t, r := range p.tokens {
		if now.Sub(r.created) > tokenLifetime {
			delete(p.tokens, t)
			continue
		}
		if r.session == session {
			count++
			if oldest == "" || r.created.Before(p.tokens[oldest].created) {
				oldest = t
			}
		}
	}
	if count >= maxTokensPerSession {
		delete(p.tokens, oldest)
	}
	token := newToken()
	p.tokens[token] = &pendingResult{session: session, pages: pages, created: now}
	return token
}

// next pops the next page of token; the returned token is "" after the last
// page, else a new one (as vSphere and newer vcsims do: a client may take a
// token it has seen before for a server that loops, and stop).
func (p *pager) next(session, token string) ([][]byte, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.tokens[token]
	if !ok || r.session != session {
		return nil, "", fmt.Errorf("unknown token %q", token)
	}
	delete(p.tokens, token)
	page := r.pages[0]
	r.pages = r.pages[1:]
	if len(r.pages) == 0 {
		return page, "", nil
	}
	next := newToken()
	p.tokens[next] = r
	return page, next, nil
}

// writeResult answers <NAME xmlns="urn:vim25"><returnval>[<token>]objects</returnval></NAME>,
// RetrieveResult's WSDL order, in a SOAP envelope, writing the objects as
// they are (no copy into one buffer: see retrieve).
func writeResult(w http.ResponseWriter, name, token string, objects [][]byte) {
	var head bytes.Buffer
	head.WriteString(envelopeStart)
	fmt.Fprintf(&head, `<%s xmlns="%s"><returnval>`, name, vimNamespace)
	if token != "" {
		head.WriteString("<token>")
		_ = xml.EscapeText(&head, []byte(token))
		head.WriteString("</token>")
	}
	n := head.Len()
	for _, o := range objects {
		n += len(o)
	}
	tail := fmt.Sprintf(`</returnval></%s>%s`, name, envelopeEnd)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(n+len(tail)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(head.Bytes())
	for _, o := range objects {
		_, _ = w.Write(o)
	}
	_, _ = io.WriteString(w, tail)
}

// splitObjects returns the raw <objects> elements of a RetrievePropertiesEx
// response (Envelope > Body > Response > returnval > objects). vcsim declares
// every namespace an element uses on the element itself or on the envelope,
// so each slice stands alone inside an envelope with the same declarations.
//
// A byte scan, not encoding/xml: the tokenizer cost more simulator CPU than
// vcsim spent computing the result (64 ms against 24 ms for 1,000 VMs and 8
// properties), a cost real ESX does not have and that only clients asking
// for pages paid, which skewed the benchmark (docs/performance.md). vcsim's
// encoder escapes '<' in text and writes no CDATA, comments or processing
// instructions, so every '<' starts a tag; <objects> elements may nest
// (a property value of a type with an "objects" member), hence the depth.
func splitObjects(raw []byte) ([][]byte, error) {
	const open, end = "<objects", "</objects>"
	var objects [][]byte
	start, depth := -1, 0
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch {
		case bytes.HasPrefix(raw[i:], []byte(end)):
			depth--
			if depth < 0 {
				return nil, errors.New("unbalanced response")
			}
			i += len(end)
			if depth == 0 {
				objects = append(objects, raw[start:i])
			}
			continue
		case bytes.HasPrefix(raw[i:], []byte(open)) && i+len(open) < len(raw) &&
			(raw[i+len(open)] == '>' || raw[i+len(open)] == ' '):
			gt := bytes.IndexByte(raw[i:], '>')
			if gt < 0 {
				return nil, errors.New("unterminated tag")
			}
			if raw[i+gt-1] == '/' { // <objects/>
				if depth == 0 {
					objects = append(objects, raw[i:i+gt+1])
				}
			} else {
				if depth == 0 {
					start = i
				}
				depth++
			}
			i += gt + 1
			continue
		}
		i++
	}
	if depth != 0 {
		return nil, errors.New("unbalanced response")
	}
	return objects, nil
}

// copyRecorded relays a response recorded from vcsim.
func copyRecorded(w http.ResponseWriter, res *http.Response, body []byte) {
	for k, vs := range res.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(body)
}
