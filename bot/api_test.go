package bot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// leaks fails the test when err's text holds the token or its secret half.
func leaks(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	t.Log(err)
	_, secret, _ := strings.Cut(testToken, ":")
	if s := err.Error(); strings.Contains(s, testToken) || strings.Contains(s, secret) || strings.Contains(s, "/bot") {
		t.Errorf("the error shows the token or the URL: %s", s)
	}
	if !strings.Contains(err.Error(), "getMe") {
		t.Errorf("the error does not name the method: %s", err)
	}
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestAPIErrorsNeverShowTheToken(t *testing.T) {
	ctx := context.Background()
	t.Run("closed port", func(t *testing.T) {
		a := newAPI(closedPort(t), testToken, &http.Client{Timeout: 5 * time.Second})
		_, err := a.getMe(ctx)
		leaks(t, err)
		var op *net.OpError
		if !errors.As(err, &op) {
			t.Errorf("%v: not a *net.OpError underneath", err)
		}
		var ne net.Error
		if !errors.As(err, &ne) || ne.Timeout() {
			t.Errorf("%v: not a net.Error, or taken for a timeout", err)
		}
		if errorCode(err) != "network" {
			t.Errorf("errorCode = %q, want network", errorCode(err))
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Read(make([]byte, 512))
				c.Close()
			}
		}()
		a := newAPI("http://"+ln.Addr().String(), testToken, &http.Client{Timeout: 5 * time.Second})
		_, err = a.getMe(ctx)
		leaks(t, err)
		if !errors.Is(err, io.EOF) {
			t.Errorf("%v: not io.EOF underneath", err)
		}
	})
	t.Run("redirect loop", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?again", http.StatusTemporaryRedirect)
		}))
		defer srv.Close()
		a := newAPI(srv.URL, testToken, srv.Client())
		_, err := a.getMe(ctx)
		leaks(t, err)
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		a := newAPI(srv.URL, testToken, &http.Client{Timeout: 50 * time.Millisecond})
		_, err := a.getMe(ctx)
		leaks(t, err)
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("%v: not a net.Error that timed out", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		a := newAPI(srv.URL, testToken, srv.Client())
		ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := a.getMe(ctx)
		leaks(t, err)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%v: not context.DeadlineExceeded underneath", err)
		}
		if errorCode(err) != "canceled" {
			t.Errorf("errorCode = %q, want canceled", errorCode(err))
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "<html>bad gateway "+r.URL.Path+"</html>", http.StatusBadGateway)
		}))
		defer srv.Close()
		a := newAPI(srv.URL, testToken, srv.Client())
		_, err := a.getMe(ctx)
		leaks(t, err)
	})
}

func TestAPIError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`)
	}))
	defer srv.Close()
	a := newAPI(srv.URL, testToken, srv.Client())
	_, err := a.getMe(context.Background())
	leaks(t, err)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%v is not an *APIError", err)
	}
	want := APIError{Method: "getMe", Code: 429, Description: "Too Many Requests: retry after 3", RetryAfter: 3 * time.Second}
	if *ae != want {
		t.Errorf("got %+v, want %+v", *ae, want)
	}
}
