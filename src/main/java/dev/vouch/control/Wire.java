package dev.vouch.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wire format: one JSON object per line, a request from the client, one answer from the
 * daemon, then the connection closes. {@code {"argv":[...],"stdin":"..."}} and
 * {@code {"exit":0,"out":"...","err":"..."}}.
 */
final class Wire {
  /** Refuse requests above this size, so a stray client cannot fill the daemon's memory. */
  static final int MAX_REQUEST = 64 * 1024 * 1024;

  private Wire() {}

  static String request(ControlRequest request) {
    JsonObject object = new JsonObject();
    JsonArray argv = new JsonArray();
    request.argv().forEach(argv::add);
    object.add("argv", argv);
    request.stdin().ifPresent(text -> object.addProperty("stdin", text));
    return object + "\n";
  }

  static ControlRequest parseRequest(String line) {
    JsonObject object = JsonParser.parseString(line).getAsJsonObject();
    List<String> argv = new ArrayList<>();
    for (JsonElement element : object.getAsJsonArray("argv")) {
      argv.add(element.getAsString());
    }
    JsonElement stdin = object.get("stdin");
    return new ControlRequest(argv,
        stdin == null || stdin.isJsonNull() ? Optional.empty() : Optional.of(stdin.getAsString()));
  }

  static String response(ControlResponse response) {
    JsonObject object = new JsonObject();
    object.addProperty("exit", response.exit());
    object.addProperty("out", response.out());
    object.addProperty("err", response.err());
    return object + "\n";
  }

  static ControlResponse parseResponse(String line) {
    JsonObject object = JsonParser.parseString(line).getAsJsonObject();
    return new ControlResponse(object.get("exit").getAsInt(), object.get("out").getAsString(),
        object.get("err").getAsString());
  }
}
