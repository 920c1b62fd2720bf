package io.swarmcast.message;

import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.web.RequestFields;
import io.swarmcast.event.MessageType;
import io.swarmcast.event.WireEnum;
import io.swarmcast.swarm.Swarm;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/messages}: {@code {"source","target","type","payload"}}; target {@code *} or absent for a broadcast. */
@RequiredArgsConstructor
@RestController
@RequestMapping("/api/messages")
class MessageController {

    @PostMapping
    ResponseEntity<Message> send(@RequestBody JsonNode body, Swarm swarm) {
        RequestFields fields = new RequestFields(body);
        MessageType type = fields.enumValue("type", MessageType.class);
        if (type == null) {
            throw new InvalidRequestException("type", "type is required: one of " + WireEnum.allowed(MessageType.class));
        }
        Message message = swarm.messages().send(fields.requiredString("source"), fields.string("target"), type, fields.node("payload"));
        return ResponseEntity.status(HttpStatus.CREATED).body(message);
    }
}
