// Package redistest starts real redis-server processes for tests.
//
// Each server runs on a free loopback port in its own temporary folder with
// persistence on (append-only file, fsync on every write, no RDB
// snapshots), so Restart and Kill behave as they would in production. The
// binaries come from REDIS_SERVER_BIN and REDIS_CLI_BIN (set by
// scripts/test.sh), else from PATH. When they cannot be found, tests that
// need Redis fail, unless REPORTBOT_SKIP_REDIS=1, when they are skipped.
package redistest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	startTimeout = 15 * time.Second // until PING answers
	stopTimeout  = 10 * time.Second // after SIGTERM, before SIGKILL
	portAttempts = 8                // fresh ports tried when bind fails
)

// Option changes how Start runs redis-server.
type Option func(*config)

type config struct {
	args []string
}

// WithArgs appends command-line arguments for redis-server, as in
// WithArgs("--maxmemory", "10mb") or, for an ACL user,
// WithArgs("--user", "alice", "on", ">secret", "~*", "&*", "+@all").
func WithArgs(args ...string) Option {
	return func(c *config) { c.args = append(c.args, args...) }
}

// ServerBin returns the redis-server binary to run: $REDIS_SERVER_BIN, else
// redis-server from PATH. Without one the test fails, or is skipped when
// REPORTBOT_SKIP_REDIS=1.
func ServerBin(t testing.TB) string {
	t.Helper()
	return binary(t, "REDIS_SERVER_BIN", "redis-server")
}

// CLIBin returns the redis-cli binary: $REDIS_CLI_BIN, else redis-cli from
// PATH, with ServerBin's rules when there is none.
func CLIBin(t testing.TB) string {
	t.Helper()
	return binary(t, "REDIS_CLI_BIN", "redis-cli")
}

func binary(t testing.TB, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		unavailable(t, fmt.Sprintf("%s=%s does not exist", env, p))
	}
	p, err := exec.LookPath(name)
	if err != nil {
		unavailable(t, fmt.Sprintf("%s not found (%s unset and not on PATH)", name, env))
	}
	return p
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("REPORTBOT_SKIP_REDIS") == "1" {
		t.Skipf("redis: %s; skipped because REPORTBOT_SKIP_REDIS=1", why)
	}
	t.Fatalf("redis: %s: run ./scripts/test.sh, which installs Redis and sets REDIS_SERVER_BIN and REDIS_CLI_BIN (or set REPORTBOT_SKIP_REDIS=1 to skip the tests that need Redis)", why)
}

// Server is one redis-server process. Its methods may be called from any
// goroutine.
type Server struct {
	bin  string
	dir  string
	args []string // extra arguments, from options

	mu   sync.Mutex
	port int
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start runs redis-server on a free 127.0.0.1 port in a new temporary
// folder, waits until it answers PING and stops it when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	s := &Server{bin: ServerBin(t), dir: t.TempDir(), args: c.args}
	t.Cleanup(func() { s.kill() })
	var last error
	for range portAttempts {
		port, err := freePort(strings.Contains(strings.Join(c.args, " "), "--cluster-enabled yes"))
		if err != nil {
			t.Fatalf("redistest: %v", err)
		}
		if last = s.start(port); last == nil {
			return s
		}
		if !errors.Is(last, errBind) {
			break
		}
	}
	t.Fatalf("redistest: %v", last)
	return nil
}

// Addr is host:port.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "127.0.0.1:" + strconv.Itoa(s.port)
}

// URL is redis://127.0.0.1:PORT/0.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Dir is the server's working folder (append-only file, nodes.conf, log).
func (s *Server) Dir() string { return s.dir }

// Log returns what the server has logged so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	out, _ := os.ReadFile(filepath.Join(s.dir, "stdout.log"))
	return string(b) + string(out)
}

// Running says whether the process is up.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runningLocked()
}

func (s *Server) runningLocked() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// Stop shuts the server down with SIGTERM (it flushes its append-only
// file) and waits for it to exit. Stopping a stopped server does nothing.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.signal(syscall.SIGTERM, stopTimeout); err != nil {
		t.Fatalf("redistest: stop: %v", err)
	}
}

// Kill ends the server with SIGKILL, as a crash would, and waits for it to
// exit.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	if err := s.signal(syscall.SIGKILL, stopTimeout); err != nil {
		t.Fatalf("redistest: kill: %v", err)
	}
}

// Pause freezes the server with SIGSTOP: connections are still accepted by
// the kernel but nothing answers, like a Redis stuck in a long command.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	s.sendOnly(t, syscall.SIGSTOP)
}

// Resume lets a paused server go on (SIGCONT).
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	s.sendOnly(t, syscall.SIGCONT)
}

func (s *Server) sendOnly(t testing.TB, sig syscall.Signal) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.runningLocked() {
		t.Fatalf("redistest: %v: server not running", sig)
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("redistest: %v: %v", sig, err)
	}
}

// Restart stops the server (if it is running) and starts it again on the
// same port and folder, so that what it had written survives.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop(t)
	s.mu.Lock()
	port := s.port
	s.mu.Unlock()
	// The port was ours a moment ago; another process may grab it in
	// between only by bad luck, so try for a little while.
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; {
		if err = s.start(port); err == nil || !errors.Is(err, errBind) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("redistest: restart: %v", err)
	}
}

var errBind = errors.New("port in use")

// start runs the process on port and waits until it answers PING.
func (s *Server) start(port int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runningLocked() {
		return errors.New("already running")
	}
	s.port = port
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--protected-mode", "no",
		"--daemonize", "no",
		"--dir", s.dir,
		"--logfile", filepath.Join(s.dir, "redis.log"),
		"--appendonly", "yes",
		"--appendfsync", "always",
		"--save", "",
	}
	args = append(args, s.args...)
	out, err := os.OpenFile(filepath.Join(s.dir, "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close() // the child has its own copy
	logStart := logSize(filepath.Join(s.dir, "redis.log"))
	cmd := exec.Command(s.bin, args...)
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = deathSignal()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done

	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-done:
			log := s.logSince(logStart)
			if strings.Contains(log, "in use") || strings.Contains(log, "Could not create server TCP listening socket") {
				return fmt.Errorf("redis-server on port %d: %w", port, errBind)
			}
			return fmt.Errorf("redis-server on port %d exited (%v) before answering PING; log:\n%s", port, cmd.ProcessState, log)
		default:
		}
		reply, err := command(addr, time.Second, "PING")
		// NOAUTH: up, but the default user needs a password.
		if err == nil && (reply == "+PONG" || strings.HasPrefix(reply, "-NOAUTH")) {
			return nil
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server on port %d did not answer PING within %v (last: %q, %v); log:\n%s", port, startTimeout, reply, err, s.logSince(logStart))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func logSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func (s *Server) logSince(off int64) string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	if off > int64(len(b)) {
		off = 0
	}
	out, _ := os.ReadFile(filepath.Join(s.dir, "stdout.log"))
	return string(b[off:]) + string(out)
}

// signal sends sig and waits up to wait for the process to exit, then
// kills it.
func (s *Server) signal(sig syscall.Signal, wait time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.runningLocked() {
		return nil
	}
	if sig != syscall.SIGKILL {
		s.cmd.Process.Signal(syscall.SIGCONT) // in case it was paused
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		return err
	}
	select {
	case <-s.done:
		return nil
	case <-time.After(wait):
		s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("redis-server did not exit within %v of %v; killed", wait, sig)
	}
}

func (s *Server) kill() { s.signal(syscall.SIGKILL, stopTimeout) }

// freePort finds a port free on 127.0.0.1. For a cluster node the bus port
// (port+10000) must be free too.
func freePort(cluster bool) (int, error) {
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		if !cluster {
			l.Close()
			return port, nil
		}
		if port+10000 > 65535 {
			l.Close()
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		l.Close()
		if err != nil {
			continue
		}
		bus.Close()
		return port, nil
	}
	return 0, errors.New("no free port found")
}

// command sends one inline command and returns the first line of the reply
// (for a bulk string, the string itself), with no client library.
func command(addr string, timeout time.Duration, cmd string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(c, cmd+"\r\n"); err != nil {
		return "", err
	}
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if !strings.HasPrefix(line, "$") {
		return line, nil
	}
	n, err := strconv.Atoi(line[1:])
	if err != nil || n < 0 {
		return line, err
	}
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// deathSignal asks Linux to SIGKILL the server when the test process dies
// (a panic or -timeout would otherwise leave it running). Set by reflection
// because Pdeathsig exists only on some systems.
func deathSignal() *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{}
	if f := reflect.ValueOf(a).Elem().FieldByName("Pdeathsig"); f.IsValid() && f.CanSet() {
		f.Set(reflect.ValueOf(syscall.SIGKILL).Convert(f.Type()))
	}
	return a
}

// Cluster is a Redis Cluster of three masters with no replicas.
type Cluster struct {
	Nodes []*Server
}

// StartCluster starts three cluster-enabled servers, joins them with
// redis-cli --cluster create and waits until every node reports
// cluster_state:ok. They stop when the test ends.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	cli := CLIBin(t)
	c := &Cluster{}
	for range 3 {
		c.Nodes = append(c.Nodes, Start(t, WithArgs(
			"--cluster-enabled", "yes",
			"--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "2000",
		)))
	}
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	cmd := exec.Command(cli, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("redistest: %s: %v", cli, err)
	}
	wait := make(chan error, 1)
	go func() { wait <- cmd.Wait() }()
	select {
	case err := <-wait:
		if err != nil {
			t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-wait
		t.Fatalf("redistest: redis-cli --cluster create hung:\n%s", out.String())
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, n := range c.Nodes {
		for {
			info, err := command(n.Addr(), time.Second, "CLUSTER INFO")
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("redistest: cluster node %s not ok: %v\n%s\nredis-cli:\n%s", n.Addr(), err, info, out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return c
}

// Addrs lists the nodes' host:port addresses.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr()
	}
	return out
}
