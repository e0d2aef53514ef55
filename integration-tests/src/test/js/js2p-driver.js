#!/usr/bin/env node
/*
 * js2p-driver.js: runs ONE unmodified js2p node (MeshSocket or SyncSocket) and lets a test
 * drive it through newline-delimited JSON on stdin/stdout.
 *
 * Usage:
 *   node js2p-driver.js --js2p-dir DIR --kind mesh|sync --port N
 *                       [--addr 127.0.0.1] [--subnet S] [--encryption Plaintext]
 *                       [--leasing true|false] [--out-addr HOST:PORT]
 *
 * DIR is either an npm install prefix (DIR/node_modules/js2p) or the js2p package directory
 * itself; the env var JS2P_DIR is used when --js2p-dir is absent.
 *
 * stdout carries ONLY JSON lines (one object per line); js2p's own console output is moved
 * to stderr. Every line has "type" and a monotonically increasing "seq".
 *
 * Lines written:
 *   {"type":"ready", "nodeId", "addr", "port", "outAddr", "kind", "leasing", "protocol":{"id","subnet","encryption"},
 *    "compression":[..], "js2pVersion", "pid"}
 *   {"type":"fatal", "code", "message"}              start-up failed (exit code 3 = EADDRINUSE, 2 = other)
 *   {"type":"connect", "routingTableSize"}            js2p 'connect' event
 *   {"type":"message", "msgId":hex, "sender", "time", "mainFlag", "packets":[subflag, ...]}
 *                                                     js2p 'message' event; the driver recv()s the message at once
 *   {"type":"update", "key", "keyType":"bin"|"str", "value", "meta":{"owner","timestamp"}}   SyncSocket 'update'
 *   {"type":"delete", "key", "keyType"}               SyncSocket 'delete'
 *   {"type":"peer_added"|"peer_replaced"|"peer_removed", "peerId", "routingTableSize"}
 *                                                     harness instrumentation of routing_table (not js2p events)
 *   {"type":"exception", "source":"connection"|"uncaught"|"unhandledRejection", "error":{"name","message","stack"}}
 *   {"type":"result", "cid", "value"}                 a command succeeded
 *   {"type":"error", "cid", "error":{"name","message","stack"}}   a command threw (as js2p threw it)
 *   {"type":"closed"}                                 last line before a clean exit
 *
 * Commands read (each has "cid", echoed back, and "cmd"):
 *   connect {host, port, peerId?}    -> js2p connect(); value = what js2p returned (or null)
 *   send {packets, flag?, type?}      -> js2p send(packets, flag, type): broadcast by default
 *   reply {packets, msgId?}           -> message.reply(packets) to msgId, or to the last received message
 *   whisper {to, packets}             -> routing_table.get(to).send(whisper, [whisper, ...packets])
 *                                        (js2p has no public whisper-to-id: this is what reply() does for a direct peer)
 *   set {key, value} / get {key} / del {key} / apply_delta {key, delta} / update {dict}
 *   keys {}                           -> js2p keys() (which hides falsy values)
 *   items {}                          -> every entry of the store with metadata: [{key, value, owner, timestamp}]
 *   routing_table {}                  -> {peers:[{peerId, addr, outgoing, compression}], awaiting}
 *   status {}                         -> js2p status: "Nominal" or a list of errors
 *   close {}                          -> js2p close(); answers, prints "closed", exits 0
 *
 * Values in JSON: bytes are {"$bin":"<hex>"}; NaN/Infinity are {"$float":"NaN"|"Infinity"|"-Infinity"};
 * everything else maps directly (numbers stay JSON numbers, maps are objects, nil is null).
 * End of stdin closes the node and exits.
 */
'use strict';

const path = require('path');
const fs = require('fs');
const util = require('util');
const readline = require('readline');

// ---------------------------------------------------------------- output discipline
const rawStdoutWrite = process.stdout.write.bind(process.stdout);
let seq = 0;
function emit(obj) {
    obj.seq = ++seq;
    rawStdoutWrite(JSON.stringify(obj) + '\n');
}
function toStderr(...args) {
    process.stderr.write(util.format(...args) + '\n');
}
// js2p logs with console.log/warn; keep stdout pure JSON.
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.warn = toStderr;
console.trace = (...args) => toStderr(new Error(util.format(...args)).stack);
process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);

function errorInfo(err) {
    if (err instanceof Error) {
        return {name: err.name, message: err.message, stack: err.stack || null};
    }
    return {name: typeof err, message: String(err), stack: null};
}

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--')) {
            throw new Error(`unexpected argument ${a}`);
        }
        const eq = a.indexOf('=');
        if (eq > 0) {
            out[a.slice(2, eq)] = a.slice(eq + 1);
        } else {
            if (i + 1 >= argv.length) {
                throw new Error(`missing value for ${a}`);
            }
            out[a.slice(2)] = argv[++i];
        }
    }
    return out;
}

function fatal(code, message, exitCode) {
    emit({type: 'fatal', code: code, message: message});
    process.exit(exitCode);
}

let args;
try {
    args = parseArgs(process.argv.slice(2));
} catch (e) {
    fatal('BAD_ARGS', e.message, 2);
}
const kind = args.kind || 'mesh';
const bindAddr = args.addr || '127.0.0.1';
const port = Number(args.port);
if (kind !== 'mesh' && kind !== 'sync') {
    fatal('BAD_ARGS', `--kind must be mesh or sync, not ${kind}`, 2);
}
if (!Number.isInteger(port) || port < 1 || port > 65535) {
    // js2p listens on an ephemeral port for 0, but keeps 0 in its advertised address and hashes
    // it into its node id, so a port-0 node advertises itself as unreachable.
    fatal('BAD_ARGS', `--port must be 1..65535 (js2p does not support port 0), got ${args.port}`, 2);
}
let leasing;
if (args.leasing !== undefined && args.leasing !== 'omitted') {
    if (args.leasing !== 'true' && args.leasing !== 'false') {
        fatal('BAD_ARGS', `--leasing must be true, false or omitted, got ${args.leasing}`, 2);
    }
    leasing = args.leasing === 'true';
}
if (leasing !== undefined && kind !== 'sync') {
    fatal('BAD_ARGS', '--leasing only applies to --kind sync', 2);
}
let outAddr;
if (args['out-addr']) {
    const idx = args['out-addr'].lastIndexOf(':');
    outAddr = [args['out-addr'].slice(0, idx), Number(args['out-addr'].slice(idx + 1))];
}

// ---------------------------------------------------------------- load js2p
function resolveJs2p(dir) {
    if (!dir) {
        fatal('BAD_ARGS', 'js2p location missing: pass --js2p-dir or set JS2P_DIR', 2);
    }
    const candidates = [dir, path.join(dir, 'node_modules', 'js2p')];
    for (const c of candidates) {
        const pj = path.join(c, 'package.json');
        if (fs.existsSync(pj)) {
            const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
            if (pkg.name === 'js2p') {
                return {dir: c, version: pkg.version};
            }
        }
    }
    fatal('NO_JS2P', `js2p not found under ${dir}`, 2);
}
const js2pLocation = resolveJs2p(args['js2p-dir'] || process.env.JS2P_DIR);
const js2p = require(js2pLocation.dir);
const base = js2p.base;
const Buffer = require('buffer').Buffer;

// ---------------------------------------------------------------- value mapping
function isBytes(v) {
    return Buffer.isBuffer(v) || v instanceof Uint8Array;
}

function toJson(v, depth) {
    depth = depth || 0;
    if (depth > 100) {
        return '<too deep>';
    }
    if (v === null || v === undefined) {
        return null;
    }
    if (isBytes(v)) {
        return {$bin: Buffer.from(v).toString('hex')};
    }
    switch (typeof v) {
        case 'number':
            if (Number.isFinite(v)) {
                return v;
            }
            return {$float: String(v)};
        case 'string':
        case 'boolean':
            return v;
        case 'bigint':
            return Number(v);
        case 'object':
            break;
        default:
            return String(v);
    }
    if (Array.isArray(v)) {
        return v.map((e) => toJson(e, depth + 1));
    }
    if (typeof v.toJSNumber === 'function' && typeof v.isZero === 'function') {
        return v.toJSNumber(); // big-integer value
    }
    const out = {};
    for (const k of Object.keys(v)) {
        out[k] = toJson(v[k], depth + 1);
    }
    return out;
}

function fromJson(v) {
    if (v === null || typeof v !== 'object') {
        return v;
    }
    if (Array.isArray(v)) {
        return v.map(fromJson);
    }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$bin' && typeof v.$bin === 'string') {
        return Buffer.from(v.$bin, 'hex');
    }
    if (keys.length === 1 && keys[0] === '$float' && typeof v.$float === 'string') {
        return Number(v.$float);
    }
    const out = {};
    for (const k of keys) {
        out[k] = fromJson(v[k]);
    }
    return out;
}

function keyJson(key) {
    if (isBytes(key)) {
        return {key: Buffer.from(key).toString('utf8'), keyType: 'bin'};
    }
    return {key: String(key), keyType: 'str'};
}

// ---------------------------------------------------------------- exceptions
process.on('uncaughtException', (err) => {
    emit({type: 'exception', source: 'uncaught', error: errorInfo(err)});
});
process.on('unhandledRejection', (err) => {
    emit({type: 'exception', source: 'unhandledRejection', error: errorInfo(err)});
});

// ---------------------------------------------------------------- the node
let protocol;
if (args.subnet !== undefined || args.encryption !== undefined) {
    const defaults = kind === 'mesh' ? js2p.mesh.default_protocol : js2p.sync.default_protocol;
    protocol = new base.Protocol(
        args.subnet !== undefined ? args.subnet : defaults.subnet,
        args.encryption !== undefined ? args.encryption : defaults.encryption);
}

let node;
try {
    if (kind === 'mesh') {
        node = new js2p.mesh.MeshSocket(bindAddr, port, protocol, outAddr);
    } else if (leasing === undefined) {
        // leave the argument out entirely: js2p's default differs from an explicit true (spec 12.6)
        node = new js2p.sync.SyncSocket(bindAddr, port, protocol, undefined, outAddr);
    } else {
        node = new js2p.sync.SyncSocket(bindAddr, port, protocol, leasing, outAddr);
    }
} catch (e) {
    fatal('START_FAILED', errorInfo(e).message, 2);
}

// Report what js2p records as a connection-level exception (it catches those itself, pushes them
// to node.exceptions and drops the connection).
const exceptions = node.exceptions;
exceptions.push = function (...errs) {
    for (const err of errs) {
        emit({type: 'exception', source: 'connection', error: errorInfo(err)});
    }
    return Array.prototype.push.apply(this, errs);
};

// Instrument the routing table so tests can await peers without polling.
const rt = node.routing_table;
const rtSet = rt.set.bind(rt);
const rtDelete = rt.delete.bind(rt);
rt.set = function (k, v) {
    const had = rt.has(k);
    const r = rtSet(k, v);
    emit({type: had ? 'peer_replaced' : 'peer_added', peerId: toJson(k), routingTableSize: rt.size});
    return r;
};
rt.delete = function (k) {
    const removed = rtDelete(k);
    if (removed) {
        emit({type: 'peer_removed', peerId: toJson(k), routingTableSize: rt.size});
    }
    return removed;
};

const received = new Map(); // msgId hex -> js2p Message
let lastMessage = null;

node.on('connect', () => {
    emit({type: 'connect', routingTableSize: node.routing_table.size});
});
node.on('message', () => {
    const msg = node.recv();
    if (!msg) {
        return;
    }
    const msgId = Buffer.from(msg.id).toString('hex');
    received.set(msgId, msg);
    lastMessage = msg;
    emit({
        type: 'message',
        msgId: msgId,
        sender: toJson(msg.sender),
        time: toJson(msg.time),
        mainFlag: toJson(msg.msg.msg_type),
        packets: toJson(msg.packets),
    });
});
if (kind === 'sync') {
    node.on('update', (sock, key, value, meta) => {
        emit(Object.assign({type: 'update'}, keyJson(key), {
            value: toJson(value),
            meta: meta ? {owner: toJson(meta.owner), timestamp: toJson(meta.timestamp)} : null,
        }));
    });
    node.on('delete', (sock, key) => {
        emit(Object.assign({type: 'delete'}, keyJson(key)));
    });
}

// ---------------------------------------------------------------- commands
function requireSync(cmd) {
    if (kind !== 'sync') {
        throw new Error(`${cmd} needs --kind sync`);
    }
}

function routingTable() {
    const peers = [];
    for (const [id, conn] of node.routing_table.entries()) {
        peers.push({
            peerId: toJson(id),
            addr: toJson(conn.addr),
            outgoing: !!conn.outgoing,
            compression: toJson(conn.compression),
        });
    }
    return {peers: peers, awaiting: node.awaiting_ids.length};
}

let closing = false;
function shutdown(cid) {
    if (closing) {
        return;
    }
    closing = true;
    let err = null;
    try {
        node.close();
        for (const conn of node.awaiting_ids) {
            conn.close();
        }
    } catch (e) {
        err = e;
    }
    if (cid !== undefined) {
        if (err) {
            emit({type: 'error', cid: cid, error: errorInfo(err)});
        } else {
            emit({type: 'result', cid: cid, value: null});
        }
    }
    emit({type: 'closed'});
    process.exit(0);
}

const commands = {
    connect(c) {
        return node.connect(c.host, c.port, c.peerId || undefined);
    },
    send(c) {
        return node.send(fromJson(c.packets), c.flag, c.type);
    },
    reply(c) {
        const msg = c.msgId ? received.get(c.msgId) : lastMessage;
        if (!msg) {
            throw new Error(c.msgId ? `no received message with id ${c.msgId}` : 'no message received yet');
        }
        return msg.reply(fromJson(c.packets));
    },
    whisper(c) {
        const conn = node.routing_table.get(c.to);
        if (!conn) {
            throw new Error(`${c.to} is not in the routing table`);
        }
        conn.send(base.flags.whisper, [base.flags.whisper, ...fromJson(c.packets)]);
        return null;
    },
    set(c) {
        requireSync('set');
        return node.set(c.key, fromJson(c.value));
    },
    get(c) {
        requireSync('get');
        return node.get(c.key, null);
    },
    del(c) {
        requireSync('del');
        return node.del(c.key);
    },
    apply_delta(c) {
        requireSync('apply_delta');
        return node.apply_delta(c.key, fromJson(c.delta));
    },
    update(c) {
        requireSync('update');
        return node.update(fromJson(c.dict));
    },
    keys() {
        requireSync('keys');
        return Array.from(node.keys());
    },
    items() {
        requireSync('items');
        return Object.keys(node.data).map((k) => {
            const meta = node.metadata[k];
            return {
                key: k,
                value: node.data[k],
                owner: meta ? meta.owner : null,
                timestamp: meta ? meta.timestamp : null,
            };
        });
    },
    routing_table() {
        return routingTable();
    },
    status() {
        const s = node.status;
        return s === 'Nominal' ? s : s.map(errorInfo);
    },
};

function handleLine(line) {
    if (!line.trim()) {
        return;
    }
    let c;
    try {
        c = JSON.parse(line);
    } catch (e) {
        emit({type: 'error', cid: null, error: {name: 'BadCommand', message: `not JSON: ${line}`, stack: null}});
        return;
    }
    if (c.cmd === 'close') {
        shutdown(c.cid);
        return;
    }
    const fn = Object.prototype.hasOwnProperty.call(commands, c.cmd) ? commands[c.cmd] : null;
    if (!fn) {
        emit({type: 'error', cid: c.cid, error: {name: 'BadCommand', message: `unknown command ${c.cmd}`, stack: null}});
        return;
    }
    let value;
    try {
        value = fn(c);
    } catch (e) {
        emit({type: 'error', cid: c.cid, error: errorInfo(e)});
        return;
    }
    emit({type: 'result', cid: c.cid, value: toJson(value === undefined ? null : value)});
}

// ---------------------------------------------------------------- start-up
let started = false;
node.incoming.on('error', (err) => {
    if (!started) {
        fatal(err.code || 'LISTEN_FAILED', errorInfo(err).message, err.code === 'EADDRINUSE' ? 3 : 2);
    }
    emit({type: 'exception', source: 'server', error: errorInfo(err)});
});
node.incoming.on('listening', () => {
    started = true;
    emit({
        type: 'ready',
        nodeId: toJson(node.id),
        addr: toJson(node.addr),
        // a nodejs-websocket server (encryption ws/wss) keeps its net.Server in .socket
        port: (typeof node.incoming.address === 'function' ? node.incoming.address() : node.incoming.socket.address()).port,
        outAddr: toJson(node.out_addr),
        kind: kind,
        leasing: leasing === undefined ? null : leasing,
        protocol: {id: node.protocol.id, subnet: node.protocol.subnet, encryption: node.protocol.encryption},
        compression: toJson(base.compression),
        js2pVersion: js2pLocation.version,
        pid: process.pid,
    });
    const rl = readline.createInterface({input: process.stdin, terminal: false});
    rl.on('line', handleLine);
    rl.on('close', () => shutdown(undefined));
});
