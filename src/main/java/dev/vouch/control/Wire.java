package dev.vouch.control;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wire format: one JSON object per line, a request from the client, one answer from the
 * daemon, then the connection closes. {@code {"argv":[...],"stdin":"..."}} and
 * {@code {"exit":0,"out":"...","err":"..."}}. Read and written with Gson's streaming classes
 * only: its object model would cost a forwarded command's start a few milliseconds more.
 */
final class Wire {
  /** Refuse requests above this size, so a stray client cannot fill the daemon's memory. */
  static final int MAX_REQUEST = 64 * 1024 * 1024;

  private Wire() {}

  static String request(ControlRequest request) {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.beginObject().name("argv").beginArray();
      for (String arg : request.argv()) {
        json.value(arg);
      }
      json.endArray();
      if (request.stdin().isPresent()) {
        json.name("stdin").value(request.stdin().get());
      }
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text + "\n";
  }

  /**
   * @throws IllegalArgumentException when the line is not a request
   */
  static ControlRequest parseRequest(String line) {
    List<String> argv = null;
    Optional<String> stdin = Optional.empty();
    try (JsonReader json = new JsonReader(new StringReader(line))) {
      json.beginObject();
      while (json.hasNext()) {
        switch (json.nextName()) {
          case "argv" -> {
            argv = new ArrayList<>();
            json.beginArray();
            while (json.hasNext()) {
              argv.add(json.nextString());
            }
            json.endArray();
          }
          case "stdin" -> stdin = nullableString(json);
          default -> json.skipValue();
        }
      }
      json.endObject();
    } catch (IOException | IllegalStateException e) {
      throw new IllegalArgumentException("not a request: " + e.getMessage(), e);
    }
    if (argv == null) {
      throw new IllegalArgumentException("not a request: no argv");
    }
    return new ControlRequest(argv, stdin);
  }

  static String response(ControlResponse response) {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.beginObject().name("exit").value(response.exit()).name("out").value(response.out())
          .name("err").value(response.err()).endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text + "\n";
  }

  /**
   * @throws IllegalArgumentException when the line is not an answer
   */
  static ControlResponse parseResponse(String line) {
    Integer exit = null;
    String out = "";
    String err = "";
    try (JsonReader json = new JsonReader(new StringReader(line))) {
      json.beginObject();
      while (json.hasNext()) {
        switch (json.nextName()) {
          case "exit" -> exit = json.nextInt();
          case "out" -> out = json.nextString();
          case "err" -> err = json.nextString();
          default -> json.skipValue();
        }
      }
      json.endObject();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException("not an answer: " + e.getMessage(), e);
    }
    if (exit == null) {
      throw new IllegalArgumentException("not an answer: no exit code");
    }
    return new ControlResponse(exit, out, err);
  }

  private static Optional<String> nullableString(JsonReader json) throws IOException {
    if (json.peek() == JsonToken.NULL) {
      json.nextNull();
      return Optional.empty();
    }
    return Optional.of(json.nextString());
  }
}
