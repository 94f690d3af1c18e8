package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/server"
)

// Roles as the route table names them.
const (
	viewer    = hookhub.RoleViewer
	responder = hookhub.RoleResponder
	admin     = hookhub.RoleAdmin
)

// route is one console page or action. Public routes (sign-in, assets) have
// no role; every other one names the least role it needs.
type route struct {
	method, path string
	role         string
	public       bool
	handler      http.HandlerFunc
}

func (c *Console) routes() []route {
	return []route{
		{method: "GET", path: "/static/{file}", public: true, handler: c.handleStatic},
		{method: "GET", path: "/login", public: true, handler: c.handleLoginPage},
		{method: "POST", path: "/login", public: true, handler: c.handleLogin},
		{method: "POST", path: "/logout", role: viewer, handler: c.handleLogout},
		{method: "GET", path: "/account", role: viewer, handler: c.handleAccount},
		{method: "POST", path: "/account/password", role: viewer, handler: c.handleChangePassword},

		{method: "GET", path: "/{$}", role: viewer, handler: c.handleDashboard},

		{method: "GET", path: "/sources", role: viewer, handler: c.handleSources},
		{method: "GET", path: "/sources/new", role: admin, handler: c.handleSourceNew},
		{method: "POST", path: "/sources", role: admin, handler: c.handleSourceCreate},
		{method: "GET", path: "/sources/{id}", role: viewer, handler: c.handleSource},
		{method: "GET", path: "/sources/{id}/edit", role: admin, handler: c.handleSourceEdit},
		{method: "POST", path: "/sources/{id}", role: admin, handler: c.handleSourceUpdate},
		{method: "POST", path: "/sources/{id}/rotate-secret", role: admin, handler: c.handleSourceRotate},
		{method: "POST", path: "/sources/{id}/active", role: admin, handler: c.handleSourceActive},
		{method: "POST", path: "/sources/{id}/delete", role: admin, handler: c.handleSourceDelete},

		{method: "GET", path: "/events", role: viewer, handler: c.handleEvents},
		{method: "GET", path: "/events/{id}", role: viewer, handler: c.handleEvent},
		{method: "POST", path: "/events/{id}/replay", role: responder, handler: c.handleEventReplay},

		{method: "GET", path: "/destinations", role: viewer, handler: c.handleDestinations},
		{method: "GET", path: "/destinations/new", role: admin, handler: c.handleDestinationNew},
		{method: "POST", path: "/destinations", role: admin, handler: c.handleDestinationCreate},
		{method: "GET", path: "/destinations/{id}", role: viewer, handler: c.handleDestination},
		{method: "GET", path: "/destinations/{id}/edit", role: admin, handler: c.handleDestinationEdit},
		{method: "POST", path: "/destinations/{id}", role: admin, handler: c.handleDestinationUpdate},
		{method: "POST", path: "/destinations/{id}/test", role: admin, handler: c.handleDestinationTest},
		{method: "POST", path: "/destinations/{id}/{action}", role: admin, handler: c.handleDestinationAction},
		{method: "POST", path: "/destinations/{id}/resend-failed", role: responder, handler: c.handleResendFailed},

		{method: "GET", path: "/deliveries/{id}", role: viewer, handler: c.handleDelivery},
		{method: "GET", path: "/deliveries", role: viewer, handler: c.handleDeliveries},
		{method: "POST", path: "/deliveries/{id}/resend", role: responder, handler: c.handleResend},

		{method: "GET", path: "/incidents", role: viewer, handler: c.handleIncidents},
		{method: "GET", path: "/incidents/{id}", role: viewer, handler: c.handleIncident},
		{method: "POST", path: "/incidents/{id}/comments", role: responder, handler: c.handleIncidentComment},
		{method: "POST", path: "/incidents/{id}/{action}", role: responder, handler: c.handleIncidentAction},

		{method: "GET", path: "/workflows", role: viewer, handler: c.handleWorkflows},
		{method: "GET", path: "/workflows/new", role: admin, handler: c.handleWorkflowNew},
		{method: "POST", path: "/workflows", role: admin, handler: c.handleWorkflowCreate},
		{method: "POST", path: "/workflows/parse-sample", role: viewer, handler: c.handleParseSample},
		{method: "GET", path: "/workflows/{id}", role: viewer, handler: c.handleWorkflow},
		{method: "GET", path: "/workflows/{id}/edit", role: admin, handler: c.handleWorkflowEdit},
		{method: "POST", path: "/workflows/{id}", role: admin, handler: c.handleWorkflowUpdate},
		{method: "GET", path: "/workflows/{id}/runs/{run_id}", role: viewer, handler: c.handleWorkflowRun},
		{method: "POST", path: "/workflows/{id}/runs/{run_id}/rerun", role: responder, handler: c.handleWorkflowRerun},

		{method: "GET", path: "/users", role: admin, handler: c.handleUsers},
		{method: "POST", path: "/users", role: admin, handler: c.handleUserCreate},
		{method: "POST", path: "/users/{id}", role: admin, handler: c.handleUserUpdate},
		{method: "POST", path: "/users/{id}/delete", role: admin, handler: c.handleUserDelete},
		{method: "GET", path: "/api-keys", role: admin, handler: c.handleAPIKeys},
		{method: "POST", path: "/api-keys", role: admin, handler: c.handleAPIKeyCreate},
		{method: "POST", path: "/api-keys/{id}/revoke", role: admin, handler: c.handleAPIKeyRevoke},
	}
}

// Routes returns the console's routes, each wrapped in its chain, for the
// server to mount beside the API.
func (c *Console) Routes() []server.Mount {
	var out []server.Mount
	for _, rt := range c.routes() {
		var h http.Handler = rt.handler
		if !rt.public {
			h = c.session(c.csrf(c.requireRole(rt.role, h)))
		}
		out = append(out, server.Mount{Method: rt.method, Path: rt.path, Handler: securityHeaders(h)})
	}
	return out
}
