// Command hvd-bench-xsiproxy is the rewriting proxy of tests/bench: it
// forwards every request to the simulator and adds xsi:type to the items of
// arrays in the responses, which vcsim 0.24.2 omits and libvirt's ESX driver
// needs ("AnyType is missing 'type' property"). Every contender of the
// benchmark goes through it, so that the comparison stays fair.
//
//	hvd-bench-xsiproxy UPSTREAM-URL CA-FILE
//
// It listens on a free loopback port (plain HTTP: libvirt's transport=http),
// prints {"url": "http://127.0.0.1:PORT"} on stdout and stops when stdin
// closes.
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
)

// An array value: <val ...PREFIX:type="ArrayOfX">; its direct children are
// <X> (or <x> for XML Schema types) elements. The scan looks for the literal
// below and backs up to the tag's '<': a regular expression tried at every
// '<' of a 4 MB listing cost the proxy more than the simulator's own work
// (150 ms of 300 at 10,000 VMs), a fixed cost every contender paid.
var arrayMark = []byte(`:type="ArrayOf`)

var xsdTypes = map[string]string{
	"String": "xsd:string", "Int": "xsd:int", "Long": "xsd:long", "Boolean": "xsd:boolean",
	"Short": "xsd:short", "Byte": "xsd:byte", "Double": "xsd:double", "Float": "xsd:float",
	"DateTime": "xsd:dateTime", "AnyType": "xsd:anyType", "AnyURI": "xsd:anyURI",
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// nextArray finds the next array start tag in body[pos:]: the offset just
// past its '>' and its item type name X of ArrayOfX; end < 0 when none.
func nextArray(body []byte, pos int) (end int, item string) {
	for {
		i := bytes.Index(body[pos:], arrayMark)
		if i < 0 {
			return -1, ""
		}
		at := pos + i
		lt := bytes.LastIndexByte(body[pos:at], '<')
		gt := bytes.IndexByte(body[at:], '>')
		k := at + len(arrayMark)
		j := k
		for j < len(body) && isLetter(body[j]) {
			j++
		}
		inTag := lt >= 0 && bytes.IndexByte(body[pos+lt:at], '>') < 0 && gt >= 0
		if inTag && j > k && j < len(body) && body[j] == '"' && at > 0 && isLetter(body[at-1]) && isLetter(body[pos+lt+1]) {
			return at + gt + 1, string(body[k:j])
		}
		pos = k
	}
}

// addItemTypes gives each direct child of an ArrayOfX element that has no
// type attribute of the XML Schema instance namespace one: xsi:type="X".
// vcsim writes no CDATA or comments and escapes '<' in text, so a byte scan
// with the element depth finds the children.
func addItemTypes(body []byte) []byte {
	if !bytes.Contains(body, arrayMark) {
		return body
	}
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/8)
	pos := 0
	for {
		end, item := nextArray(body, pos)
		if end < 0 {
			out.Write(body[pos:])
			return out.Bytes()
		}
		out.Write(body[pos:end])
		pos = end
		if body[end-2] == '/' {
			continue
		}
		itemType := item
		if t, ok := xsdTypes[item]; ok {
			itemType = t
		}
		depth := 1
		for depth > 0 && pos < len(body) {
			lt := bytes.IndexByte(body[pos:], '<')
			if lt < 0 {
				break
			}
			out.Write(body[pos : pos+lt])
			pos += lt
			gt := bytes.IndexByte(body[pos:], '>')
			if gt < 0 {
				break
			}
			tag := body[pos : pos+gt+1]
			switch {
			case bytes.HasPrefix(tag, []byte("</")):
				depth--
			case tag[len(tag)-2] == '/':
				if depth == 1 && !bytes.Contains(tag, []byte(":type=")) {
					tag = insertType(tag, itemType)
				}
			default:
				if depth == 1 && !bytes.Contains(tag, []byte(":type=")) {
					tag = insertType(tag, itemType)
				}
				depth++
			}
			out.Write(tag)
			pos += gt + 1
		}
	}
}

// insertType adds xsi:type after the element name of TAG.
func insertType(tag []byte, t string) []byte {
	i := 1
	for i < len(tag) && tag[i] != ' ' && tag[i] != '>' && tag[i] != '/' {
		i++
	}
	attr := fmt.Sprintf(` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="%s"`, t)
	return append(append(append([]byte{}, tag[:i]...), attr...), tag[i:]...)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: hvd-bench-xsiproxy UPSTREAM-URL CA-FILE")
		os.Exit(2)
	}
	up, err := url.Parse(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "hvd-bench-xsiproxy:", err)
		os.Exit(2)
	}
	pem, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "hvd-bench-xsiproxy:", err)
		os.Exit(1)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	rp := httputil.NewSingleHostReverseProxy(up)
	rp.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, MaxIdleConnsPerHost: 64}
	rp.ModifyResponse = func(r *http.Response) error {
		if !bytes.Contains([]byte(r.Header.Get("Content-Type")), []byte("xml")) {
			return nil
		}
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return err
		}
		body = addItemTypes(body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "hvd-bench-xsiproxy:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(map[string]string{"url": "http://" + ln.Addr().String()})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); os.Exit(0) }()
	_ = http.Serve(ln, rp)
}
