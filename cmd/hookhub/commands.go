package main

// commands is every hookhub command, in the order help lists them. Each
// command's code is in <noun>_<verb>.go.
var commands = []command{
	{path: "serve", nargs: -1, ownHelp: true, summary: "run the server (ingest, API, deliveries)", setup: serveCmd},
	{path: "migrate", nargs: -1, ownHelp: true, summary: "apply database migrations and exit", setup: migrateCmd},
	{path: "version", summary: "print the version", setup: versionCmd},

	{path: "sources list", summary: "list sources, newest first", setup: sourcesList},
	{path: "sources get", args: "ID", nargs: 1, summary: "show a source as JSON", setup: sourcesGet},
	{path: "sources create", summary: "create a source and print its webhook URL", setup: sourcesCreate, detail: sourcesCreateDetail},
	{path: "sources delete", args: "ID", nargs: 1, summary: "delete a source and its events", setup: sourcesDelete},

	{path: "destinations list", summary: "list destinations, newest first", setup: destinationsList},
	{path: "destinations get", args: "ID", nargs: 1, summary: "show a destination as JSON", setup: destinationsGet},
	{path: "destinations create", summary: "create a destination of any type (a webhook prints its signing secret)", setup: destinationsCreate, detail: destinationsCreateDetail},
	{path: "destinations delete", args: "ID", nargs: 1, summary: "delete a destination", setup: destinationsDelete},
	{path: "destinations test", args: "ID", nargs: 1, summary: "send a test alert now and print the result", setup: destinationsTest},
	{path: "destinations pause", args: "ID", nargs: 1, summary: "hold a destination's deliveries until it is resumed", setup: destinationAction("pause")},
	{path: "destinations resume", args: "ID", nargs: 1, summary: "release a paused destination's deliveries", setup: destinationAction("resume")},
	{path: "destinations enable", args: "ID", nargs: 1, summary: "re-enable a disabled destination", setup: destinationAction("enable")},
	{path: "destinations resend-failed", args: "ID", nargs: 1, summary: "send a destination's failed deliveries again", setup: destinationsResendFailed},

	{path: "events list", summary: "list received and published events, newest first", setup: eventsList},
	{path: "events get", args: "ID", nargs: 1, summary: "show an event with its headers and body", setup: eventsGet},
	{path: "events replay", args: "ID", nargs: 1, summary: "route a stored event to the current destinations again", setup: eventsReplay},
	{path: "events publish", summary: "publish an event of your own; the JSON payload is read from standard input", setup: eventsPublish},
	{path: "events tail", summary: "print events live as they arrive", setup: eventsTail},

	{path: "deliveries list", summary: "list deliveries, newest first", setup: deliveriesList},
	{path: "deliveries get", args: "ID", nargs: 1, summary: "show a delivery with its attempts", setup: deliveriesGet},
	{path: "deliveries resend", args: "ID", nargs: 1, summary: "send a delivery again", setup: deliveriesResend},

	{path: "incidents list", summary: "list incidents, newest first", setup: incidentsList},
	{path: "incidents get", args: "ID", nargs: 1, summary: "show an incident with its timeline", setup: incidentsGet},
	{path: "incidents ack", args: "ID", nargs: 1, summary: "acknowledge an incident", setup: incidentAction("ack")},
	{path: "incidents resolve", args: "ID", nargs: 1, summary: "resolve an incident", setup: incidentAction("resolve")},
	{path: "incidents close", args: "ID", nargs: 1, summary: "close an incident", setup: incidentAction("close")},
	{path: "incidents reopen", args: "ID", nargs: 1, summary: "reopen an incident", setup: incidentAction("reopen")},
	{path: "incidents comment", args: "ID TEXT", nargs: 2, summary: "add a comment to an incident's timeline", setup: incidentsComment},

	{path: "workflows list", summary: "list workflows", setup: workflowsList},
	{path: "workflows get", args: "ID", nargs: 1, summary: "show a workflow's definition as JSON", setup: workflowsGet},
	{path: "workflows runs", args: "ID [RUN_ID]", nargs: -1, summary: "list a workflow's runs, or show one run with its steps", setup: workflowsRuns},
	{path: "workflows rerun", args: "ID RUN_ID", nargs: 2, summary: "run a workflow again on a run's trigger event", setup: workflowsRerun},

	{path: "users list", summary: "list console users", setup: usersList},
	{path: "users create", summary: "create a console user; the password is read from standard input", setup: usersCreate},
	{path: "users delete", args: "ID", nargs: 1, summary: "delete a user and the user's API keys", setup: usersDelete},
	{path: "api-keys list", summary: "list API keys (never the keys themselves)", setup: apiKeysList},
	{path: "api-keys create", summary: "create an API key and print it, once", setup: apiKeysCreate},
	{path: "api-keys revoke", args: "ID", nargs: 1, summary: "revoke an API key at once", setup: apiKeysRevoke},
	{path: "whoami", summary: "say who the API key acts as, and with which role", setup: whoamiCmd},

	{path: "apply", summary: "create, update (and with --prune delete) objects to match a YAML file", setup: applyCmd, detail: applyDetail},
	{path: "export", summary: "print the server's objects in apply's YAML format", setup: exportCmd},

	{path: "listen", summary: "forward a source's webhooks to a local app as they arrive", setup: listenCmd, detail: listenDetail},
	{path: "sign", summary: "print the headers a sender would send with the body on standard input", setup: signCmd, detail: schemesDetail},
	{path: "verify", summary: "check a request's signature headers against the body on standard input", setup: verifyCmd, detail: schemesDetail},
	{path: "send", args: "URL", nargs: 1, summary: "send the body on standard input to URL, signed", setup: sendCmd, detail: schemesDetail},
}
