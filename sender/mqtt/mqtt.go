// Package mqtt is the sender of MQTT destinations: an MQTT 5 publish at QoS 1
// (successful on PUBACK) or QoS 2 (on PUBCOMP) to a templated topic, with the
// ids and type as user properties.
package mqtt

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// schemes are the URL schemes taken, and whether each means TLS.
var schemes = map[string]bool{"tcp": false, "mqtt": false, "ssl": true, "tls": true, "mqtts": true}

// Sender publishes to MQTT brokers.
type Sender struct {
	env  sender.Env
	pool *sender.Pool[*paho.Client]
}

var (
	_ sender.Sender  = (*Sender)(nil)
	_ sender.Checker = (*Sender)(nil)
)

// New returns the MQTT sender of an engine.
func New(env sender.Env) sender.Sender {
	s := &Sender{env: env}
	s.pool = sender.NewPool(s.open, func(c *paho.Client) { c.Disconnect(&paho.Disconnect{ReasonCode: 0}) }, alive)
	return s
}

// Close disconnects every client.
func (s *Sender) Close() error { return s.pool.Close() }

func alive(c *paho.Client) bool {
	select {
	case <-c.Done():
		return false
	default:
		return true
	}
}

// Check refuses a URL that is not an MQTT URL, a host the guard refuses and
// a topic template that does not compile.
func (s *Sender) Check(d *hookhub.Destination) error {
	host, _, err := address(d.MQTT.URL)
	if err != nil {
		return err
	}
	if err := s.env.Guard.CheckHost(host); err != nil {
		return err
	}
	return sender.CheckTemplate("topic", d.MQTT.Topic)
}

// address returns the broker's host:port and whether to use TLS.
func address(raw string) (string, bool, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false, hookhub.Errorf(hookhub.EINVALID, "url does not parse")
	}
	useTLS, ok := schemes[strings.ToLower(u.Scheme)]
	if !ok {
		return "", false, hookhub.Errorf(hookhub.EINVALID, "url must start with tcp://, mqtt://, ssl://, tls:// or mqtts://")
	}
	port := "1883"
	if useTLS {
		port = "8883"
	}
	host, err := sender.BrokerHost(raw, port, u.Scheme)
	return host, useTLS, err
}

func (s *Sender) open(ctx context.Context, d *hookhub.Destination) (*paho.Client, error) {
	u, err := url.Parse(d.MQTT.URL)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "url does not parse")
	}
	host, useTLS, err := address(d.MQTT.URL)
	if err != nil {
		return nil, err
	}
	nc, err := s.env.Dial(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	if useTLS {
		tc := tls.Client(nc, &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, err
		}
		nc = packets.NewThreadSafeConn(tc)
	}
	c := paho.NewClient(paho.ClientConfig{ClientID: clientID(d.MQTT.ClientID), Conn: nc, OnClientError: func(error) {}})
	cp := &paho.Connect{ClientID: clientID(d.MQTT.ClientID), KeepAlive: 30, CleanStart: true}
	if u.User != nil {
		cp.Username, cp.UsernameFlag = u.User.Username(), true
		if pw, ok := u.User.Password(); ok {
			cp.Password, cp.PasswordFlag = []byte(pw), true
		}
	}
	ack, err := c.Connect(ctx, cp)
	if err != nil {
		nc.Close()
		if ack != nil && ack.ReasonCode >= 0x80 {
			why := ""
			if ack.Properties != nil {
				why = ack.Properties.ReasonString
			}
			return nil, errors.New("the broker refused the connection: " + reasonText(ack.ReasonCode, why))
		}
		return nil, err
	}
	return c, nil
}

// clientID is the configured client ID or a fresh one: two connections
// with one ID knock each other off the broker.
func clientID(configured string) string {
	if configured != "" {
		return configured
	}
	b := make([]byte, 6)
	rand.Read(b)
	return "hookhub-" + hex.EncodeToString(b)
}

// Send publishes one delivery and waits for PUBACK (QoS 1) or PUBCOMP (QoS 2).
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	d := m.Destination
	target := hookhub.RedactURLs(d.MQTT.URL)
	topic, err := m.Render(ctx, "topic", d.MQTT.Topic)
	if err != nil {
		return m.Failed(retry.Fail, target, nil, err)
	}
	target += " topic " + topic
	attrs := m.Attrs()
	ct := sender.ContentType(m.Event)
	props := &paho.PublishProperties{ContentType: ct}
	for _, a := range attrs {
		props.User.Add(a.Name, a.Value)
	}
	recorded := sender.Recorded(attrs, ct)
	recorded["Qos"] = []string{strconv.Itoa(d.MQTT.QoS)}
	c, err := s.pool.Get(ctx, d)
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, errors.New("connecting to the MQTT broker: "+sender.Describe(err, 0)))
	}
	pub := &paho.Publish{QoS: byte(d.MQTT.QoS), Retain: d.MQTT.Retain, Topic: topic, Payload: m.Event.Body, Properties: props}
	resp, err := publish(ctx, c, pub)
	if err != nil {
		if !alive(c) {
			s.pool.Drop(d, c)
			err = errors.New("the connection to the broker was lost before it acknowledged the message")
		}
		return m.Failed(retry.Retry, target, recorded, errors.New("publishing: "+sender.Describe(err, m.Timeout)))
	}
	if d.MQTT.QoS == 2 && resp.ReasonCode >= 0x80 {
		return m.Failed(retry.Retry, target, recorded, errors.New("the broker refused the message: "+reasonOf(resp)))
	}
	return sender.Succeeded(target, recorded, ackText(d.MQTT.QoS, resp))
}

// publish publishes and waits for the acknowledgement, but no longer than
// the connection lives: the client would otherwise keep waiting on a
// connection that is gone until the attempt times out.
func publish(ctx context.Context, c *paho.Client, p *paho.Publish) (*paho.PublishResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	return c.Publish(ctx, p)
}

func reasonOf(r *paho.PublishResponse) string {
	s := ""
	if r.Properties != nil {
		s = r.Properties.ReasonString
	}
	return reasonText(r.ReasonCode, s)
}

func reasonText(code byte, s string) string {
	out := "reason code 0x" + strconv.FormatUint(uint64(code), 16)
	if s != "" {
		out += " (" + s + ")"
	}
	return out
}

// ackText is the broker's acknowledgement as the attempt log shows it.
func ackText(qos int, r *paho.PublishResponse) string {
	ack := "PUBACK"
	if qos == 2 {
		ack = "PUBCOMP"
	}
	if r != nil && r.ReasonCode != 0 {
		return ack + " with " + reasonOf(r)
	}
	return ack
}
