/** @file Jupyter wire protocol: parse, verify and sign multipart messages (pure, no sockets). */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** The protocol version gradlab speaks. */
export const PROTOCOL_VERSION = "5.3";

const DELIM = "<IDS|MSG>";

/** A message header (https://jupyter-client.readthedocs.io/en/stable/messaging.html#message-header). */
export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message; `identities` are the ROUTER routing frames. */
export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Signs and verifies with the connection file's key (HMAC-SHA256; an empty key disables signing). */
export class Signer {
  constructor(
    private readonly key: string,
    private readonly scheme = "hmac-sha256",
  ) {
    if (key && scheme !== "hmac-sha256") throw new Error(`kernel: expected signature_scheme hmac-sha256, got ${scheme}`);
  }

  /**
   * The hex signature of the four JSON frames.
   *
   * @example
   * new Signer("k").sign([h, p, m, c]) // "3f2a…"
   */
  sign(frames: (string | Buffer)[]): string {
    if (!this.key) return "";
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }

  /** True when `signature` matches the frames (constant-time comparison). */
  verify(signature: string, frames: Buffer[]): boolean {
    if (!this.key) return true;
    const want = Buffer.from(this.sign(frames), "utf8");
    const got = Buffer.from(signature, "utf8");
    return want.length === got.length && timingSafeEqual(want, got);
  }
}

/** Why a raw message was rejected. */
export class WireError extends Error {}

/**
 * Decode and verify raw ZeroMQ frames; throws {@link WireError} for a missing delimiter,
 * a bad signature or malformed JSON.
 *
 * @example
 * const msg = decode(frames, signer); msg.header.msg_type // "execute_request"
 */
export function decode(frames: Buffer[], signer: Signer): Message {
  const d = frames.findIndex((f) => f.length === DELIM.length && f.toString() === DELIM);
  if (d < 0 || frames.length < d + 6) throw new WireError("message without <IDS|MSG> delimiter or with missing frames");
  const signature = frames[d + 1].toString();
  const body = frames.slice(d + 2, d + 6);
  if (!signer.verify(signature, body)) throw new WireError("invalid HMAC signature");
  try {
    const [header, parent, metadata, content] = body.map((b) => JSON.parse(b.toString()) as unknown);
    if (typeof header !== "object" || header === null || typeof (header as Header).msg_type !== "string") {
      throw new WireError("header without msg_type");
    }
    return {
      identities: frames.slice(0, d),
      header: header as Header,
      parent_header: (parent ?? {}) as Header,
      metadata: (metadata ?? {}) as Record<string, unknown>,
      content: (content ?? {}) as Record<string, unknown>,
      buffers: frames.slice(d + 6),
    };
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`malformed JSON frame: ${(e as Error).message}`);
  }
}

/**
 * Encode a message as signed frames.
 *
 * @example
 * encode(reply(parent, "kernel_info_reply", content, session), signer) // Buffer/string frames
 */
export function encode(msg: Omit<Message, "buffers"> & { buffers?: Buffer[] }, signer: Signer): (Buffer | string)[] {
  const body = [msg.header, msg.parent_header, msg.metadata, msg.content].map((x) => JSON.stringify(x));
  return [...msg.identities, DELIM, signer.sign(body), ...body, ...(msg.buffers ?? [])];
}

/**
 * A new message answering `parent` (same session/identities, parent_header = parent's header).
 *
 * @example
 * const r = makeMessage("status", { execution_state: "idle" }, session, parent);
 */
export function makeMessage(
  msgType: string,
  content: Record<string, unknown>,
  session: string,
  parent?: Message,
  identities: Buffer[] = parent?.identities ?? [],
): Message {
  return {
    identities,
    header: {
      msg_id: randomUUID(),
      session,
      username: parent?.header.username ?? "kernel",
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: parent ? parent.header : {},
    metadata: {},
    content,
    buffers: [],
  };
}
