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

func (p *pager) retrieve(f *front, c *soapCall) {
	_, body, ok := f.decode(c)
	if !ok {
		return
	}
	req := body.(*types.RetrievePropertiesEx)
	limit := p.limit(req.Options.MaxObjects)
	if limit <= 0 {
		f.pass(c)
		return
	}

	rec := f.invoke(c.r, c.body)
	res := rec.Result()
	raw, _ := io.ReadAll(res.Body)
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
	writeRawResponse(c.w, resultElement("RetrievePropertiesExResponse", token, pages[0]))
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
	writeRawResponse(c.w, resultElement("ContinueRetrievePropertiesExResponse", token, page))
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

// resultElement builds <NAME xmlns="urn:vim25"><returnval>[<token>]objects</returnval></NAME>,
// RetrieveResult's WSDL order.
func resultElement(name, token string, objects [][]byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<%s xmlns="%s"><returnval>`, name, vimNamespace)
	if token != "" {
		b.WriteString("<token>")
		_ = xml.EscapeText(&b, []byte(token))
		b.WriteString("</token>")
	}
	for _, o := range objects {
		b.Write(o)
	}
	fmt.Fprintf(&b, `</returnval></%s>`, name)
	return b.Bytes()
}

// splitObjects returns the raw <objects> elements of a RetrievePropertiesEx
// response (Envelope > Body > Response > returnval > objects). vcsim declares
// every namespace an element uses on the element itself or on the envelope,
// so each slice stands alone inside an envelope with the same declarations.
func splitObjects(raw []byte) ([][]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	var objects [][]byte
	depth := 0
	for {
		start := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			return objects, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 5 && t.Name.Local == "objects" {
				if err := d.Skip(); err != nil {
					return nil, err
				}
				depth--
				objects = append(objects, raw[start:d.InputOffset()])
			}
		case xml.EndElement:
			depth--
		}
		if depth < 0 {
			return nil, errors.New("unbalanced response")
		}
	}
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
