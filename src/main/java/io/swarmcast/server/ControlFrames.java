package io.swarmcast.server;

import io.swarmcast.event.Channel;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Writes the server's control frames of docs/protocol.md section 2: welcome, subscribed, pong, replay, error... */
final class ControlFrames {

    private final ObjectMapper mapper;
    private final LongSupplier clock;

    ControlFrames(ObjectMapper mapper, LongSupplier clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    String welcome(String clientId, String serverId, String epoch, long newestSeq, long heartbeatMillis) {
        return frame("welcome", gen -> {
            gen.writeStringProperty("clientId", clientId);
            gen.writeStringProperty("serverId", serverId);
            gen.writeNumberProperty("protocol", 1);
            gen.writeStringProperty("epoch", epoch);
            gen.writeNumberProperty("seq", newestSeq);
            writeChannels(gen, List.of(Channel.values()));
            gen.writeNumberProperty("heartbeatInterval", heartbeatMillis);
        });
    }

    /**
     * @param single    the one channel asked for, or null when the request named several
     * @param recovered null when the request carried no sinceSeq
     */
    String subscribed(String single, Collection<Channel> channels, Boolean recovered, String epoch) {
        return subscribed(single, channels, recovered, epoch, null);
    }

    /** @param swarmId the connection's swarm (internal id); written only when it is not the default swarm */
    String subscribed(String single, Collection<Channel> channels, Boolean recovered, String epoch, String swarmId) {
        return frame("subscribed", gen -> {
            if (swarmId != null) {
                gen.writeStringProperty("swarm", swarmId);
            }
            if (single != null) {
                gen.writeStringProperty("channel", single);
            }
            writeChannels(gen, channels);
            if (recovered != null) {
                gen.writeBooleanProperty("recovered", recovered);
                gen.writeStringProperty("epoch", epoch);
            }
        });
    }

    String unsubscribed(String single, Collection<Channel> channels) {
        return frame("unsubscribed", gen -> {
            if (single != null) {
                gen.writeStringProperty("channel", single);
            }
            writeChannels(gen, channels);
        });
    }

    String pong() {
        return frame("pong", gen -> { });
    }

    /** A replay answer: the stored frames are written as they are, not parsed and written again. */
    String replay(List<String> eventFrames, long fromSeq, long toSeq, boolean complete, String epoch) {
        return frame("replay", gen -> {
            gen.writeArrayPropertyStart("events");
            for (String eventFrame : eventFrames) {
                gen.writeRawValue(eventFrame);
            }
            gen.writeEndArray();
            gen.writeNumberProperty("count", eventFrames.size());
            if (!eventFrames.isEmpty()) {
                gen.writeNumberProperty("fromSeq", fromSeq);
                gen.writeNumberProperty("toSeq", toSeq);
            }
            gen.writeBooleanProperty("complete", complete);
            gen.writeStringProperty("epoch", epoch);
        });
    }

    /**
     * The notice that follows the frames of a conflating client's release (docs/protocol.md 7.3a): which seqs it
     * will never get, as inclusive ranges, and how many frames of each channel were skipped.
     */
    String conflated(Conflation.Notice notice) {
        return frame("conflated", gen -> {
            if (notice.fromSeq() > 0) {
                gen.writeNumberProperty("fromSeq", notice.fromSeq());
                gen.writeNumberProperty("toSeq", notice.toSeq());
            }
            gen.writeNumberProperty("count", notice.skippedSeqs());
            gen.writeObjectPropertyStart("skipped");
            notice.skipped().forEach((channel, frames) -> gen.writeNumberProperty(channel.wireName(), frames));
            gen.writeEndObject();
            gen.writeArrayPropertyStart("seqs");
            long[] ranges = notice.skippedRanges();
            for (int i = 0; i < ranges.length; i += 2) {
                gen.writeStartArray();
                gen.writeNumber(ranges[i]);
                gen.writeNumber(ranges[i + 1]);
                gen.writeEndArray();
            }
            gen.writeEndArray();
        });
    }

    String error(ErrorCode code, String message, String field) {
        return frame("error", gen -> {
            gen.writeStringProperty("code", code.wireName());
            gen.writeStringProperty("message", message);
            if (field != null) {
                gen.writeStringProperty("field", field);
            }
        });
    }

    String historyGap(long oldestHeldSeq, String epoch) {
        return frame("error", gen -> {
            gen.writeStringProperty("code", ErrorCode.HISTORY_GAP.wireName());
            gen.writeStringProperty("message", "history no longer reaches back to the requested seq or the epoch changed;"
                    + " missed events cannot be replayed, rely on the snapshot");
            gen.writeNumberProperty("fromSeq", oldestHeldSeq);
            gen.writeStringProperty("epoch", epoch);
        });
    }

    /**
     * A playback's state: {@code started} and {@code seeked} (with the point {@code atSeq}/{@code atTime} the snapshot
     * after it shows), {@code paused}, {@code resumed}, {@code ended} and {@code stopped} (with {@code seq}, the last
     * event played), then {@code live} (with {@code sinceSeq}, {@code recovered} and {@code epoch}) before the events
     * missed meanwhile.
     */
    String playback(String status, Consumer<JsonGenerator> fields) {
        return frame("playback", gen -> {
            gen.writeStringProperty("status", status);
            fields.accept(gen);
        });
    }

    String historyTrimmed(String message, String field, long oldestSeq, Long oldestTime) {
        return frame("error", gen -> {
            gen.writeStringProperty("code", ErrorCode.HISTORY_TRIMMED.wireName());
            gen.writeStringProperty("message", message);
            gen.writeStringProperty("field", field);
            gen.writeNumberProperty("oldestSeq", oldestSeq);
            if (oldestTime != null) {
                gen.writeNumberProperty("oldestTime", oldestTime);
            }
        });
    }

    static void writeChannelList(JsonGenerator gen, Collection<Channel> channels) {
        writeChannels(gen, channels);
    }

    private String frame(String type, Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator gen = mapper.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringProperty("type", type);
            body.accept(gen);
            gen.writeNumberProperty("timestamp", clock.getAsLong());
            gen.writeEndObject();
        }
        return out.toString();
    }

    private static void writeChannels(JsonGenerator gen, Collection<Channel> channels) {
        gen.writeArrayPropertyStart("channels");
        for (Channel channel : Channel.values()) {
            if (channels.contains(channel)) {
                gen.writeString(channel.wireName());
            }
        }
        gen.writeEndArray();
    }
}
