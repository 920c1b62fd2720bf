package io.swarmcast.server;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * A plain GET of {@code /} gets the page; a GET with {@code Upgrade} does not match here and falls through
 * to the WebSocket handler on the same path (docs/protocol.md section 1).
 */
@Controller
class RootPageController {

    @GetMapping(path = "/", headers = "!Upgrade")
    String page() {
        return "forward:/index.html";
    }
}
