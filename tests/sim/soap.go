package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"net/http"
	"reflect"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
	vxml "github.com/vmware/govmomi/vim25/xml"
)

// The envelope and fault encodings below copy vcsim's (simulator.go), so the
// methods answered here look exactly like the ones vcsim answers itself.

const vimNamespace = "urn:vim25"

type soapEnvelope struct {
	XMLName vxml.Name   `xml:"soapenv:Envelope"`
	Enc     string      `xml:"xmlns:soapenc,attr"`
	Env     string      `xml:"xmlns:soapenv,attr"`
	XSD     string      `xml:"xmlns:xsd,attr"`
	XSI     string      `xml:"xmlns:xsi,attr"`
	Body    interface{} `xml:"soapenv:Body"`
}

func newEnvelope(body interface{}) *soapEnvelope {
	return &soapEnvelope{
		Enc:  "http://schemas.xmlsoap.org/soap/encoding/",
		Env:  "http://schemas.xmlsoap.org/soap/envelope/",
		XSD:  "http://www.w3.org/2001/XMLSchema",
		XSI:  "http://www.w3.org/2001/XMLSchema-instance",
		Body: body,
	}
}

type faultDetail struct {
	Fault types.AnyType
}

// MarshalXML names the detail element "${Type}Fault" with an xsi:type, as ESX does.
func (d *faultDetail) MarshalXML(e *vxml.Encoder, start vxml.StartElement) error {
	kind := reflect.TypeOf(d.Fault).Elem().Name()
	start.Name.Local = kind + "Fault"
	start.Attr = append(start.Attr,
		vxml.Attr{Name: vxml.Name{Local: "xmlns"}, Value: vimNamespace},
		vxml.Attr{Name: vxml.Name{Local: "xsi:type"}, Value: kind})
	return e.EncodeElement(d.Fault, start)
}

type soapFault struct {
	XMLName vxml.Name `xml:"soapenv:Fault"`
	Code    string    `xml:"faultcode"`
	String  string    `xml:"faultstring"`
	Detail  struct {
		Fault *faultDetail
	} `xml:"detail"`
}

// methodResponse encodes a types.XxxResponse as <XxxResponse xmlns="urn:vim25">.
type methodResponse struct {
	Res interface{}
}

func (r *methodResponse) MarshalXML(e *vxml.Encoder, start vxml.StartElement) error {
	name := reflect.TypeOf(r.Res).Elem().Name()
	return e.EncodeElement(r.Res, vxml.StartElement{Name: vxml.Name{Space: vimNamespace, Local: name}})
}

func writeEnvelope(w http.ResponseWriter, status int, body interface{}) {
	var out bytes.Buffer
	out.WriteString(vxml.Header)
	enc := vxml.NewEncoder(&out)
	if err := enc.Encode(newEnvelope(body)); err != nil {
		log.Printf("encoding a SOAP response: %v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(out.Bytes())
}

// writeResponse answers a method with res, a pointer to a types.XxxResponse.
func writeResponse(w http.ResponseWriter, res interface{}) {
	writeEnvelope(w, http.StatusOK, struct {
		Res *methodResponse
	}{&methodResponse{res}})
}

// writeFault answers a method with a SOAP fault carrying fault as its detail.
func writeFault(w http.ResponseWriter, msg string, fault types.BaseMethodFault) {
	f := &soapFault{Code: "ServerFaultCode", String: msg}
	f.Detail.Fault = &faultDetail{fault}
	writeEnvelope(w, http.StatusInternalServerError, struct {
		Fault *soapFault
	}{f})
}

// The SOAP envelope around a response element, as vcsim writes it.
const (
	envelopeStart = vxml.Header + `<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"` +
		` xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"` +
		` xmlns:xsd="http://www.w3.org/2001/XMLSchema"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`
	envelopeEnd = `</soapenv:Body></soapenv:Envelope>`
)

// writeRawResponse answers with an already encoded method response element.
func writeRawResponse(w http.ResponseWriter, element []byte) {
	var out bytes.Buffer
	out.WriteString(envelopeStart)
	out.Write(element)
	out.WriteString(envelopeEnd)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out.Bytes())
}

// sniffMethod returns the local name of the first element inside the SOAP
// Body without decoding the rest: it is cheap enough for every request.
func sniffMethod(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if inBody {
				return t.Name.Local
			}
			if depth == 2 && t.Name.Local == "Body" {
				inBody = true
			}
		case xml.EndElement:
			depth--
			if inBody {
				return ""
			}
		}
	}
}

var vimTypes = types.TypeFunc()

// typeFunc resolves xsi:type names, also when the client wrote them with a
// namespace prefix Go's decoder did not resolve ("vim25:TraversalSpec"), as
// vcsim's own does.
func typeFunc(name string) (reflect.Type, bool) {
	if t, ok := vimTypes(name); ok {
		return t, ok
	}
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return vimTypes(name[i+1:])
	}
	return nil, false
}

// decodeRequest decodes a request body into its govmomi type (e.g. *types.AnswerVM).
func decodeRequest(body []byte) (*simulator.Method, error) {
	return simulator.UnmarshalBody(typeFunc, body)
}

// soapResult is the part of a vcsim response the harness needs to read back:
// a fault, or a returnval that is a managed object reference (a task).
type soapResult struct {
	Body struct {
		Fault *struct {
			String string `xml:"faultstring"`
			Detail struct {
				Fault types.AnyType `xml:",any,typeattr"`
			} `xml:"detail"`
		} `xml:"Fault"`
		Res *struct {
			Returnval *types.ManagedObjectReference `xml:"returnval"`
		} `xml:",any"`
	} `xml:"Body"`
}

func decodeResult(r io.Reader) (*soapResult, error) {
	var res soapResult
	d := vxml.NewDecoder(r)
	d.TypeFunc = typeFunc
	if err := d.Decode(&res); err != nil {
		return nil, fmt.Errorf("decoding a simulator response: %w", err)
	}
	return &res, nil
}

// fault returns the method fault of a decoded fault response, if any.
func (r *soapResult) fault() (string, types.BaseMethodFault) {
	f := r.Body.Fault
	if f == nil {
		return "", nil
	}
	if mf, ok := f.Detail.Fault.(types.BaseMethodFault); ok {
		return f.String, mf
	}
	return f.String, &types.SystemError{Reason: f.String}
}
