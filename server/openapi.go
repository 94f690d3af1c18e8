package server

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openapiDoc []byte

// handleOpenAPI serves the OpenAPI 3.1 document of the API.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openapiDoc)
}
