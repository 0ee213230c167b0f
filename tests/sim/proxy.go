package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Two small proxies on loopback, so that a client's proxy support is tested
// end to end: an HTTP proxy (CONNECT tunnels and plain forwarding) and a
// SOCKS proxy (SOCKS5 without authentication, and SOCKS4/4a). They only
// connect to loopback addresses: they exist for this simulator.
type proxies struct {
	httpAddr  string
	socksAddr string
	httpSrv   *http.Server
	socksLn   net.Listener
	wg        sync.WaitGroup
}

func startProxies(st *stats) (*proxies, error) {
	p := &proxies{}

	httpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p.httpAddr = httpLn.Addr().String()
	p.httpSrv = &http.Server{
		Handler: &httpProxy{stats: st, transport: &http.Transport{Proxy: nil, DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext}},
		ConnState: func(c net.Conn, s http.ConnState) {
			if s == http.StateNew {
				st.add(&st.httpConns)
			}
		},
		ErrorLog: log.Default(),
	}
	go func() { _ = p.httpSrv.Serve(httpLn) }()

	p.socksLn, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = p.httpSrv.Close()
		return nil, err
	}
	p.socksAddr = p.socksLn.Addr().String()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := p.socksLn.Accept()
			if err != nil {
				return
			}
			st.add(&st.socksConns)
			go serveSocks(c, st)
		}
	}()
	return p, nil
}

func (p *proxies) close() {
	_ = p.httpSrv.Close()
	_ = p.socksLn.Close()
	p.wg.Wait()
}

// dialLoopback connects to hostport if it resolves to a loopback address.
func dialLoopback(hostport string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	addrs, err := net.LookupIP(host)
	if err != nil {
		return nil, err
	}
	for _, ip := range addrs {
		if ip.IsLoopback() {
			return net.DialTimeout("tcp", net.JoinHostPort(ip.String(), port), 10*time.Second)
		}
	}
	return nil, fmt.Errorf("%s is not a loopback address: this test proxy only reaches loopback", host)
}

// pipe copies both ways until either side closes, then closes both.
func pipe(a, b net.Conn) {
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go cp(a, b)
	go cp(b, a)
	<-done
	_ = a.Close()
	_ = b.Close()
	<-done
}

type httpProxy struct {
	stats     *stats
	transport *http.Transport
}

func (p *httpProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.connect(w, r)
		return
	}
	if !r.URL.IsAbs() {
		http.Error(w, "this is a proxy: send an absolute URL or CONNECT", http.StatusBadRequest)
		return
	}
	p.stats.add(&p.stats.httpForwards)
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	out.Header.Del("Proxy-Authorization")
	if _, _, err := net.SplitHostPort(out.URL.Host); err != nil {
		out.URL.Host = net.JoinHostPort(out.URL.Host, "80")
	}
	if c, err := dialLoopback(out.URL.Host); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	} else {
		_ = c.Close()
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func (p *httpProxy) connect(w http.ResponseWriter, r *http.Request) {
	dst, err := dialLoopback(r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		_ = dst.Close()
		http.Error(w, "cannot hijack the connection", http.StatusInternalServerError)
		return
	}
	src, buf, err := hj.Hijack()
	if err != nil {
		_ = dst.Close()
		return
	}
	p.stats.add(&p.stats.httpTunnels)
	if _, err := src.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		_ = src.Close()
		_ = dst.Close()
		return
	}
	// Bytes the client sent after the CONNECT request (a TLS ClientHello).
	if n := buf.Reader.Buffered(); n > 0 {
		pending, _ := buf.Reader.Peek(n)
		if _, err := dst.Write(pending); err != nil {
			_ = src.Close()
			_ = dst.Close()
			return
		}
	}
	pipe(src, dst)
}

// SOCKS reply codes (RFC 1928) and SOCKS4 status bytes.
const (
	socks5Succeeded      = 0x00
	socks5NotAllowed     = 0x02
	socks5HostUnreach    = 0x04
	socks5CmdUnsupported = 0x07
	socks5AddrNotSupp    = 0x08
	socks4Granted        = 0x5a
	socks4Rejected       = 0x5b
)

func serveSocks(c net.Conn, st *stats) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	ver, err := br.ReadByte()
	if err != nil {
		_ = c.Close()
		return
	}
	var dst net.Conn
	switch ver {
	case 5:
		dst, err = socks5Handshake(c, br)
	case 4:
		dst, err = socks4Handshake(c, br)
	default:
		err = fmt.Errorf("unknown SOCKS version %d", ver)
	}
	if err != nil {
		log.Printf("socks proxy: %v", err)
		_ = c.Close()
		return
	}
	st.add(&st.socksConnected)
	_ = c.SetDeadline(time.Time{})
	if n := br.Buffered(); n > 0 {
		pending, _ := br.Peek(n)
		if _, err := dst.Write(pending); err != nil {
			_ = c.Close()
			_ = dst.Close()
			return
		}
	}
	pipe(c, dst)
}

func socks5Reply(c net.Conn, code byte) {
	_, _ = c.Write([]byte{5, code, 0, 1, 0, 0, 0, 0, 0, 0})
}

func socks5Handshake(c net.Conn, br *bufio.Reader) (net.Conn, error) {
	n, err := br.ReadByte()
	if err != nil {
		return nil, err
	}
	methods := make([]byte, n)
	if _, err := io.ReadFull(br, methods); err != nil {
		return nil, err
	}
	noAuth := false
	for _, m := range methods {
		noAuth = noAuth || m == 0
	}
	if !noAuth {
		_, _ = c.Write([]byte{5, 0xff})
		return nil, errors.New("client offers no method without authentication")
	}
	if _, err := c.Write([]byte{5, 0}); err != nil {
		return nil, err
	}

	hdr := make([]byte, 4)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return nil, err
	}
	if hdr[0] != 5 {
		return nil, fmt.Errorf("bad SOCKS5 request version %d", hdr[0])
	}
	var host string
	switch hdr[3] {
	case 1, 4:
		ip := make([]byte, map[byte]int{1: 4, 4: 16}[hdr[3]])
		if _, err := io.ReadFull(br, ip); err != nil {
			return nil, err
		}
		host = net.IP(ip).String()
	case 3:
		l, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		name := make([]byte, l)
		if _, err := io.ReadFull(br, name); err != nil {
			return nil, err
		}
		host = string(name)
	default:
		socks5Reply(c, socks5AddrNotSupp)
		return nil, fmt.Errorf("unsupported SOCKS5 address type %d", hdr[3])
	}
	portBytes := make([]byte, 2)
	if _, err := io.ReadFull(br, portBytes); err != nil {
		return nil, err
	}
	if hdr[1] != 1 {
		socks5Reply(c, socks5CmdUnsupported)
		return nil, fmt.Errorf("unsupported SOCKS5 command %d", hdr[1])
	}
	target := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(portBytes))))
	dst, err := dialLoopback(target)
	if err != nil {
		socks5Reply(c, socks5NotAllowed)
		return nil, err
	}
	socks5Reply(c, socks5Succeeded)
	return dst, nil
}

func readCString(br *bufio.Reader) (string, error) {
	s, err := br.ReadString(0)
	if err != nil {
		return "", err
	}
	return s[:len(s)-1], nil
}

func socks4Handshake(c net.Conn, br *bufio.Reader) (net.Conn, error) {
	hdr := make([]byte, 7) // command, port, IPv4 address
	if _, err := io.ReadFull(br, hdr); err != nil {
		return nil, err
	}
	if _, err := readCString(br); err != nil { // user id, ignored
		return nil, err
	}
	reply := func(code byte) { _, _ = c.Write([]byte{0, code, 0, 0, 0, 0, 0, 0}) }
	ip := net.IP(hdr[3:7])
	host := ip.String()
	if ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0 { // SOCKS4a: a host name follows
		name, err := readCString(br)
		if err != nil {
			return nil, err
		}
		host = name
	}
	if hdr[0] != 1 {
		reply(socks4Rejected)
		return nil, fmt.Errorf("unsupported SOCKS4 command %d", hdr[0])
	}
	dst, err := dialLoopback(net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(hdr[1:3])))))
	if err != nil {
		reply(socks4Rejected)
		return nil, err
	}
	reply(socks4Granted)
	return dst, nil
}
