package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// certFiles is a generated CA and a server certificate signed by it, for
// 127.0.0.1, ::1 and localhost. vcsim's built-in certificate is RSA-1024,
// which OpenSSL 3 refuses, and self-signed, so a client could not tell
// "verified" from "accepted anything".
type certFiles struct {
	dir        string
	removeDir  bool
	caFile     string
	certFile   string
	keyFile    string
	serverCert tls.Certificate
	expired    bool // the server certificate's validity ended a day ago
}

const keyBits = 2048

func newCertFiles(dir string, expired bool) (*certFiles, error) {
	c := &certFiles{dir: dir, expired: expired}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "hvd-sim-certs-")
		if err != nil {
			return nil, err
		}
		c.dir, c.removeDir = tmp, true
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	c.caFile = filepath.Join(c.dir, "ca.pem")
	c.certFile = filepath.Join(c.dir, "server.pem")
	c.keyFile = filepath.Join(c.dir, "server-key.pem")
	if err := c.generate(); err != nil {
		c.cleanup()
		return nil, err
	}
	return c, nil
}

func serialNumber() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

func (c *certFiles) generate() error {
	now := time.Now()

	caKey, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return err
	}
	caSerial, err := serialNumber()
	if err != nil {
		return err
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: "hvd-sim test CA", Organization: []string{"hvd-esx tests"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}

	key, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return err
	}
	serial, err := serialNumber()
	if err != nil {
		return err
	}
	template := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "127.0.0.1", Organization: []string{"hvd-esx tests"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:     []string{"localhost"},
	}
	if c.expired {
		template.NotBefore = now.Add(-48 * time.Hour)
		template.NotAfter = now.Add(-24 * time.Hour)
	}
	der, err := x509.CreateCertificate(rand.Reader, template, caCert, &key.PublicKey, caKey)
	if err != nil {
		return err
	}

	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})

	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{{c.caFile, caPEM, 0o644}, {c.certFile, certPEM, 0o644}, {c.keyFile, keyPEM, 0o600}} {
		if err := os.WriteFile(f.path, f.data, f.mode); err != nil {
			return err
		}
	}

	c.serverCert, err = tls.X509KeyPair(certPEM, keyPEM)
	return err
}

// serverConfig is the TLS configuration the simulator serves with.
func (c *certFiles) serverConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{c.serverCert},
		MinVersion:   tls.VersionTLS12,
	}
}

// cleanup removes the temporary directory; files written into a --cert-dir
// belong to the caller and stay.
func (c *certFiles) cleanup() {
	if c.removeDir {
		_ = os.RemoveAll(c.dir)
	}
}
