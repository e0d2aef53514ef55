package dev.jv2p.it.js2p;

/** A driver command that js2p answered by throwing; carries the JavaScript error. */
public final class Js2pCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final String jsName;
    private final String jsMessage;
    private final String jsStack;

    Js2pCommandException(String command, String jsName, String jsMessage, String jsStack) {
        super(command + " failed in js2p: " + jsName + ": " + jsMessage);
        this.command = command;
        this.jsName = jsName;
        this.jsMessage = jsMessage;
        this.jsStack = jsStack;
    }

    /** The driver command, e.g. "del". */
    public String command() {
        return command;
    }

    /** The JavaScript error name, e.g. "TypeError" or "Error". */
    public String jsName() {
        return jsName;
    }

    /** The JavaScript error message. */
    public String jsMessage() {
        return jsMessage;
    }

    /** The JavaScript stack trace (may be null). */
    public String jsStack() {
        return jsStack;
    }
}
