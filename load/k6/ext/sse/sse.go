// Package sse is a small k6 extension, registered as "k6/x/sse", that reads server-sent events over any
// HTTP method. It implements the subset of the xk6-sse API the agentwire scripts use (open, client.on,
// client.close), so those scripts also run on a k6 built with xk6-sse, plus now(): a monotonic clock with
// microsecond resolution, since k6's JavaScript has only Date.now() in milliseconds.
package sse

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/js/common"
	"go.k6.io/k6/js/modules"
)

func init() {
	modules.Register("k6/x/sse", new(rootModule))
}

// epoch anchors now(); time.Since reads Go's monotonic clock.
var epoch = time.Now()

type rootModule struct{}

type module struct{ vu modules.VU }

func (*rootModule) NewModuleInstance(vu modules.VU) modules.Instance { return &module{vu: vu} }

func (m *module) Exports() modules.Exports {
	return modules.Exports{Default: map[string]any{"open": m.open, "now": now}}
}

// now returns milliseconds since the process's epoch, with sub-millisecond precision.
func now() float64 { return float64(time.Since(epoch).Nanoseconds()) / 1e6 }

type params struct {
	Method  string            `js:"method"`
	Headers map[string]string `js:"headers"`
	Body    string            `js:"body"`
}

type handlers struct{ open, event, error []sobek.Callable }

// open(url, [params], callback): calls callback(client) so handlers can be registered, sends the request,
// then reads the stream on this VU's goroutine, calling handlers synchronously, until the stream ends or
// client.close() is called. Returns {status, headers, error}.
func (m *module) open(call sobek.FunctionCall) sobek.Value {
	rt := m.vu.Runtime()
	state := m.vu.State()
	if state == nil {
		common.Throw(rt, errors.New("sse.open can only be called from VU code, not the init context"))
	}
	url := call.Argument(0).String()
	p := params{Method: http.MethodGet}
	cbArg := call.Argument(2)
	if _, ok := sobek.AssertFunction(call.Argument(1)); ok {
		cbArg = call.Argument(1)
	} else if !common.IsNullish(call.Argument(1)) {
		if err := rt.ExportTo(call.Argument(1), &p); err != nil {
			common.Throw(rt, fmt.Errorf("sse.open: bad params: %w", err))
		}
	}
	setup, ok := sobek.AssertFunction(cbArg)
	if !ok {
		common.Throw(rt, errors.New("sse.open needs a callback function"))
	}

	ctx, cancel := context.WithCancel(m.vu.Context())
	defer cancel()
	h := &handlers{}
	closed := false
	client := rt.NewObject()
	must(rt, client.Set("on", func(name string, fn sobek.Value) {
		cb, ok := sobek.AssertFunction(fn)
		if !ok {
			common.Throw(rt, fmt.Errorf("client.on(%q) needs a function", name))
		}
		switch name {
		case "open":
			h.open = append(h.open, cb)
		case "event":
			h.event = append(h.event, cb)
		case "error":
			h.error = append(h.error, cb)
		}
	}))
	must(rt, client.Set("close", func() { closed = true; cancel() }))
	if _, err := setup(sobek.Undefined(), client); err != nil {
		common.Throw(rt, err)
	}

	response := rt.NewObject()
	fail := func(err error) sobek.Value {
		must(rt, response.Set("error", err.Error()))
		errObj := rt.NewObject()
		must(rt, errObj.Set("error", func() string { return err.Error() }))
		emit(rt, h.error, errObj)
		return response
	}
	must(rt, response.Set("status", 0))

	method := strings.ToUpper(p.Method)
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if p.Body != "" {
		body = strings.NewReader(p.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return fail(err)
	}
	for k, v := range p.Headers {
		req.Header.Set(k, v)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/event-stream")
	}
	res, err := (&http.Client{Transport: state.Transport}).Do(req)
	if err != nil {
		return fail(err)
	}
	defer res.Body.Close()
	must(rt, response.Set("status", res.StatusCode))
	headers := map[string]string{}
	for k := range res.Header {
		headers[k] = res.Header.Get(k)
	}
	must(rt, response.Set("headers", headers))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
		return fail(fmt.Errorf("unexpected status %d", res.StatusCode))
	}
	emit(rt, h.open)
	err = read(res.Body, func(id, name, data string) bool {
		ev := rt.NewObject()
		must(rt, ev.Set("id", id))
		must(rt, ev.Set("name", name))
		must(rt, ev.Set("data", data))
		emit(rt, h.event, ev)
		return !closed
	})
	if err != nil && !closed {
		return fail(err)
	}
	return response
}

func emit(rt *sobek.Runtime, cbs []sobek.Callable, args ...sobek.Value) {
	for _, cb := range cbs {
		if _, err := cb(sobek.Undefined(), args...); err != nil {
			common.Throw(rt, err)
		}
	}
}

func must(rt *sobek.Runtime, err error) {
	if err != nil {
		common.Throw(rt, err)
	}
}

// read parses the event stream (WHATWG rules: CR, LF or CRLF line ends, comments, data lines joined with
// "\n", ids that persist) and calls dispatch per event until it returns false or the body ends.
func read(r io.Reader, dispatch func(id, name, data string) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	sc.Split(splitLines)
	var name, lastID string
	var data bytes.Buffer
	hasData := false
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if hasData {
				ev := "message"
				if name != "" {
					ev = name
				}
				if !dispatch(lastID, ev, data.String()) {
					return nil
				}
			}
			name, hasData = "", false
			data.Reset()
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			name = value
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		case "id":
			if !strings.ContainsRune(value, 0) {
				lastID = value
			}
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		switch b {
		case '\n':
			return i + 1, data[:i], nil
		case '\r':
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, data[:i], nil
				}
				return i + 1, data[:i], nil
			}
			if atEOF {
				return i + 1, data[:i], nil
			}
			return 0, nil, nil // a CR at the buffer's end: wait to see whether LF follows
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
