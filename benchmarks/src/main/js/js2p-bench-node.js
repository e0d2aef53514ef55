#!/usr/bin/env node
/*
 * js2p-bench-node.js: one unmodified js2p 0.7 SyncSocket, driven by the jv2p benchmark harness
 * with the same line protocol as the Java BenchNode (see BenchNode.java):
 *
 *   node js2p-bench-node.js JS2P_DIR INDEX PORT,PORT,PORT [WATCH_PREFIX WATCH_COUNT [WATCH_SIZE]]
 *
 * The environment variable JS2P_ENCRYPTION names the transport (default Plaintext; SSL for js2p's
 * TLS transport). Node 0 starts alone; every other node dials every node before it (js2p does not dial listed
 * peers on a host it is already connected to). Times are process.hrtime.bigint(), i.e. CLOCK_MONOTONIC, as System.nanoTime() in Java.
 * Anything js2p prints goes to stderr; stdout carries only "#BN" lines.
 */
'use strict';

const path = require('path');
const readline = require('readline');

const rawWrite = process.stdout.write.bind(process.stdout);
function emit(line) {
    rawWrite('#BN ' + line + '\n');
}
const toStderr = (...args) => process.stderr.write(args.join(' ') + '\n');
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;
console.debug = toStderr;
process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);

const now = () => process.hrtime.bigint();
emit('launched ' + now());

const [js2pDir, indexArg, portsArg, watchPrefix, watchCount, watchSize] = process.argv.slice(2);
const js2p = require(path.join(js2pDir, 'node_modules', 'js2p'));
const index = Number(indexArg);
const ports = portsArg.split(',').map(Number);

function key(prefix, i) {
    const digits = String(i);
    return prefix + '0'.repeat(16 - 1 - digits.length) + digits;
}
function value(stamp) {
    const digits = String(stamp);
    return '0'.repeat(20 - digits.length) + digits + 'v'.repeat(80);
}

const encryption = process.env.JS2P_ENCRYPTION || 'Plaintext';
const protocol = new js2p.base.Protocol(js2p.sync.default_protocol.subnet, encryption);
// the leasing argument left out, as js2p users do (js2p's default differs from an explicit true)
const node = new js2p.sync.SyncSocket('127.0.0.1', ports[index], protocol);
node.exceptions.push = function (...errs) {
    for (const e of errs) {
        toStderr('js2p connection exception: ' + (e && e.stack ? e.stack : e));
    }
    return Array.prototype.push.apply(this, errs);
};
process.on('uncaughtException', (e) => toStderr('uncaught: ' + (e && e.stack ? e.stack : e)));

function has(k) {
    return node.get(k) !== undefined;
}
function size() {
    return Object.keys(node.data).length;
}

// 'full' once this node holds the series' last key and at least minSize entries (default count)
function watch(prefix, count, minSize) {
    const last = key(prefix, count - 1);
    const atLeast = minSize || count;
    const timer = setInterval(() => {
        if (has(last) && size() >= atLeast) {
            clearInterval(timer);
            emit('full ' + prefix + ' ' + now());
        }
    }, 1);
}

function joined() {
    emit('joined ' + now());
    if (watchPrefix) {
        watch(watchPrefix, Number(watchCount), watchSize ? Number(watchSize) : 0);
    }
    emit('loaded ' + now());
}
// js2p does not dial a listed peer on a host it already has a connection to (all of them here),
// so each node dials every node started before it.
if (index === 0) {
    joined();
} else {
    node.once('connect', joined);
    emit('dialing ' + now());
    for (let i = 0; i < index; i++) {
        node.connect('127.0.0.1', ports[i]);
    }
}

// Yields to the event loop so that js2p's sockets are served while a command runs.
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function write(prefix, count, putAll, batch) {
    const keys = [];
    const values = [];
    for (let i = 0; i < count; i++) {
        keys.push(key(prefix, i));
        values.push(value(i));
    }
    const start = now();
    if (putAll) {
        for (let from = 0; from < count; from += batch) {
            const dict = {};
            for (let i = from; i < Math.min(count, from + batch); i++) {
                dict[keys[i]] = values[i];
            }
            node.update(dict);
            await tick();
        }
    } else {
        for (let i = 0; i < count; i++) {
            node.set(keys[i], values[i]);
            if (i % 100 === 99) {
                await tick();
            }
        }
    }
    return start + ' ' + now();
}

async function paced(prefix, count, spacing) {
    const start = now();
    for (let i = 0; i < count; i++) {
        const due = start + BigInt(i) * spacing;
        while (now() < due) {
            await tick();
        }
        node.set(key(prefix, i), value(now()));
    }
    return start + ' ' + now();
}

// for each listened series, what reports its delays so far (command "received PREFIX")
const reporters = {};

function listen(prefix, count) {
    const delays = [];
    let reported = false;
    const report = () => {
        if (reported) {
            return;
        }
        reported = true;
        emit(('latencies ' + prefix + ' ' + delays.join(',')).trim());
        node.removeListener('update', onUpdate);
    };
    const onUpdate = (sock, k, v) => {
        const t = now();
        const text = k.toString();
        if (text[0] !== prefix || reported) {
            return;
        }
        delays.push((t - BigInt(String(v).slice(0, 20))) / 1000n);
        if (delays.length === count) {
            report();
        }
    };
    reporters[prefix] = report;
    node.on('update', onUpdate);
}

function heap() {
    if (global.gc) {
        for (let i = 0; i < 3; i++) {
            global.gc();
        }
    }
    return String(process.memoryUsage().heapUsed);
}

const commands = {
    members: () => String(node.routing_table.size + 1),
    size: () => String(size()),
    stats: () => '',
    watch: (w) => { watch(w[2], Number(w[3]), w[4] ? Number(w[4]) : 0); return ''; },
    write: (w) => write(w[2], Number(w[3]), w[4] === 'putAll', Number(w[5])),
    paced: (w) => paced(w[2], Number(w[3]), BigInt(w[4])),
    listen: (w) => { listen(w[2], Number(w[3])); return ''; },
    received: (w) => { (reporters[w[2]] || (() => {}))(); return ''; },
    heap: heap,
    close: () => '',
};

let queue = Promise.resolve();
readline.createInterface({input: process.stdin}).on('line', (line) => {
    const w = line.trim().split(' ');
    if (w.length < 2) {
        return;
    }
    queue = queue.then(async () => {
        const cid = w[0];
        try {
            const f = commands[w[1]];
            if (!f) {
                throw new Error('unknown command ' + w[1]);
            }
            const result = await f(w);
            emit('ok ' + cid + (result === '' ? '' : ' ' + result));
            if (w[1] === 'close') {
                node.close();
                process.exit(0);
            }
        } catch (e) {
            emit('err ' + cid + ' ' + String(e).replace(/\n/g, ' '));
        }
    });
}).on('close', () => {
    node.close();
    process.exit(0);
});
