package console

import (
	"net/http"

	"github.com/hookhub/hookhub/web"
)

func (c *Console) handleDestinations(w http.ResponseWriter, r *http.Request) {
	list, err := c.allDestinations(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "destinations", view{Title: "Destinations", Nav: "destinations", Data: list})
}
