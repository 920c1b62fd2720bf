package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.event.SwarmIds;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.EnumSet;
import java.util.Set;

/** Reads a client's text frame into a {@link ClientRequest}, or says precisely what is wrong with it. */
final class ClientRequestParser {

    private static final String TYPES = "subscribe, unsubscribe, ping, replay, playback, pause, resume, seek, stop";

    private final ObjectMapper mapper;
    private final int replayDefaultLimit;
    private final int replayMaxLimit;
    private final int playbackMaxSpeed;

    ClientRequestParser(ObjectMapper mapper, int replayDefaultLimit, int replayMaxLimit) {
        this(mapper, replayDefaultLimit, replayMaxLimit, 1000);
    }

    ClientRequestParser(ObjectMapper mapper, int replayDefaultLimit, int replayMaxLimit, int playbackMaxSpeed) {
        this.mapper = mapper;
        // A default above the maximum (both are settings) is lowered to it, as a limit asked for would be.
        this.replayDefaultLimit = Math.min(replayDefaultLimit, replayMaxLimit);
        this.replayMaxLimit = replayMaxLimit;
        this.playbackMaxSpeed = playbackMaxSpeed;
    }

    /** The most events one history read may return: a replay's limit, and a resume's catch-up. */
    int replayMaxLimit() {
        return replayMaxLimit;
    }

    ClientRequest parse(String text) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new RequestException(ErrorCode.INVALID_JSON, null, "frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RequestException(ErrorCode.INVALID_JSON, null, "frame must be a JSON object with a type");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isString()) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "type", "type is required and must be one of " + TYPES);
        }
        return switch (type.stringValue()) {
            case "subscribe" -> subscribe(node);
            case "unsubscribe" -> {
                ChannelSelection selection = channels(node, true);
                yield new ClientRequest.Unsubscribe(selection.channels(), selection.single());
            }
            case "ping" -> new ClientRequest.Ping();
            case "replay" -> replay(node);
            case "playback" -> playback(node);
            case "pause" -> new ClientRequest.PlaybackControl(ClientRequest.PlaybackControl.Action.PAUSE);
            case "resume" -> new ClientRequest.PlaybackControl(ClientRequest.PlaybackControl.Action.RESUME);
            case "stop" -> new ClientRequest.PlaybackControl(ClientRequest.PlaybackControl.Action.STOP);
            case "seek" -> seek(node);
            default -> throw new RequestException(ErrorCode.UNKNOWN_TYPE, "type",
                    "unknown type '" + type.stringValue() + "'; expected one of " + TYPES);
        };
    }

    private ClientRequest subscribe(JsonNode node) {
        ChannelSelection selection = channels(node, true);
        Long sinceSeq = optionalSeq(node, "sinceSeq");
        JsonNode epoch = node.get("epoch");
        if (epoch != null && !epoch.isNull() && !epoch.isString()) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "epoch", "epoch must be a string (from welcome)");
        }
        JsonNode snapshot = node.get("snapshot");
        if (snapshot != null && !snapshot.isNull() && !snapshot.isBoolean()) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "snapshot", "snapshot must be true or false");
        }
        JsonNode conflate = node.get("conflate");
        if (conflate != null && !conflate.isNull() && !conflate.isBoolean()) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "conflate", "conflate must be true or false");
        }
        return new ClientRequest.Subscribe(selection.channels(), selection.single(), sinceSeq,
                epoch == null || epoch.isNull() ? null : epoch.stringValue(),
                snapshot == null || snapshot.isNull() || snapshot.booleanValue(),
                conflate == null || conflate.isNull() ? null : conflate.booleanValue(),
                SwarmIds.internal(swarm(node)), node.hasNonNull("swarm"));
    }

    private ClientRequest replay(JsonNode node) {
        Long since = optionalSeq(node, "since");
        Long sinceSeq = optionalSeq(node, "sinceSeq");
        if ((since == null) == (sinceSeq == null)) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "since",
                    "replay needs exactly one of since (ms timestamp, inclusive) and sinceSeq (exclusive)");
        }
        Set<Channel> channels = node.hasNonNull("channels") || node.hasNonNull("channel") ? channels(node, false).channels() : null;
        int limit = replayDefaultLimit;
        JsonNode rawLimit = node.get("limit");
        if (rawLimit != null && !rawLimit.isNull()) {
            // Within 64 bits a limit above the maximum is lowered to it (protocol.md 7.4); beyond, it is no number we read.
            if (!rawLimit.isIntegralNumber() || !rawLimit.canConvertToLong() || rawLimit.longValue() < 1) {
                throw new RequestException(ErrorCode.INVALID_FIELD, "limit", "limit must be a whole number from 1 to "
                        + replayMaxLimit + " (a larger one within 64 bits is lowered to " + replayMaxLimit + ")");
            }
            limit = (int) Math.min(rawLimit.longValue(), replayMaxLimit);
        }
        return new ClientRequest.Replay(since, sinceSeq, channels, limit, SwarmIds.internal(swarm(node)),
                node.hasNonNull("swarm"));
    }

    /** The {@code swarm} field as sent ({@code "default"} included), or null when absent (docs/protocol.md 7.15). */
    private static String swarm(JsonNode node) {
        JsonNode swarm = node.get("swarm");
        if (swarm == null || swarm.isNull()) {
            return null;
        }
        if (!swarm.isString() || !SwarmIds.valid(swarm.stringValue())) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "swarm", "swarm must be a swarm id: " + SwarmIds.RULE);
        }
        return swarm.stringValue();
    }

    private ClientRequest playback(JsonNode node) {
        Long fromSeq = optionalSeq(node, "fromSeq");
        Long from = optionalSeq(node, "from");
        if ((fromSeq == null) == (from == null)) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "fromSeq",
                    "playback needs exactly one of fromSeq (a seq) and from (ms timestamp)");
        }
        Long toSeq = optionalSeq(node, "toSeq");
        if (toSeq != null && fromSeq != null && toSeq < fromSeq) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "toSeq", "toSeq must not be before fromSeq");
        }
        double speed = 1;
        JsonNode rawSpeed = node.get("speed");
        if (rawSpeed != null && !rawSpeed.isNull()) {
            if (!rawSpeed.isNumber() || !Double.isFinite(rawSpeed.doubleValue()) || rawSpeed.doubleValue() < 0
                    || rawSpeed.doubleValue() > playbackMaxSpeed) {
                throw new RequestException(ErrorCode.INVALID_FIELD, "speed", "speed must be a number from 0 (as fast as"
                        + " the client reads) to " + playbackMaxSpeed);
            }
            speed = rawSpeed.doubleValue();
        }
        Set<Channel> channels = node.hasNonNull("channels") || node.hasNonNull("channel") ? channels(node, false).channels() : null;
        return new ClientRequest.Playback(fromSeq, from, toSeq, speed, channels);
    }

    private ClientRequest seek(JsonNode node) {
        Long toSeq = optionalSeq(node, "toSeq");
        Long to = optionalSeq(node, "to");
        if ((toSeq == null) == (to == null)) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "toSeq", "seek needs exactly one of toSeq (a seq) and to (ms timestamp)");
        }
        return new ClientRequest.Seek(toSeq, to);
    }

    private record ChannelSelection(Set<Channel> channels, String single) {
    }

    /** Reads {@code channel} (one name) or {@code channels} (an array); {@code "*"} stands for every channel. */
    private ChannelSelection channels(JsonNode node, boolean required) {
        JsonNode one = node.get("channel");
        JsonNode many = node.get("channels");
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        if (one != null && !one.isNull()) {
            if (!one.isString()) {
                throw new RequestException(ErrorCode.INVALID_FIELD, "channel", "channel must be a string");
            }
            add(channels, one.stringValue());
        }
        if (many != null && !many.isNull()) {
            if (!many.isArray()) {
                throw new RequestException(ErrorCode.INVALID_FIELD, "channels", "channels must be an array of channel names");
            }
            for (JsonNode name : many) {
                if (!name.isString()) {
                    throw new RequestException(ErrorCode.INVALID_FIELD, "channels", "channels must be an array of channel names");
                }
                add(channels, name.stringValue());
            }
        }
        if (channels.isEmpty() && required) {
            throw new RequestException(ErrorCode.INVALID_FIELD, "channel",
                    "channel or channels is required: one of " + Channel.ALLOWED + " or *");
        }
        boolean single = one != null && one.isString() && (many == null || many.isNull());
        return new ChannelSelection(channels, single ? one.stringValue() : null);
    }

    private static void add(Set<Channel> channels, String name) {
        if ("*".equals(name)) {
            channels.addAll(EnumSet.allOf(Channel.class));
            return;
        }
        channels.add(Channel.fromWire(name).orElseThrow(() -> new RequestException(ErrorCode.INVALID_CHANNEL, "channel",
                "unknown channel '" + name + "'; expected one of " + Channel.ALLOWED)));
    }

    private static Long optionalSeq(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // canConvertToLong first: longValue() of 2^64 throws rather than answering, which used to close the connection.
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new RequestException(ErrorCode.INVALID_FIELD, field, field + " must be a whole number from 0 to " + Long.MAX_VALUE);
        }
        return value.longValue();
    }
}
