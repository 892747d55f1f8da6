/** @file Unit tests for the wire protocol (kernel/protocol/wire.ts). */
import { describe, expect, it } from "vitest";
import { decode, encode, makeMessage, Signer, WireError } from "../../kernel/protocol/wire.js";

describe("Signer", () => {
  it("computes HMAC-SHA256 over the concatenated frames (RFC 4231 test case 2)", () => {
    const s = new Signer("Jefe");
    expect(s.sign(["what do ya want ", "for nothing?"])).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
  it("accepts anything with an empty key, and rejects unknown schemes", () => {
    expect(new Signer("").verify("whatever", [Buffer.from("x")])).toBe(true);
    expect(() => new Signer("k", "hmac-md5")).toThrow("kernel: expected signature_scheme hmac-sha256, got hmac-md5");
  });
});

describe("decode / encode", () => {
  const signer = new Signer("secret");
  const msg = makeMessage("execute_request", { code: "1+1" }, "session-1", undefined, [Buffer.from("client-id")]);
  const frames = () => encode(msg, signer).map((f) => Buffer.from(f));

  it("round-trips a signed message with its routing identities", () => {
    const got = decode(frames(), signer);
    expect(got.identities.map(String)).toEqual(["client-id"]);
    expect(got.header).toEqual(msg.header);
    expect(got.content).toEqual({ code: "1+1" });
    expect(got.header.version).toBe("5.3");
  });

  it("rejects a wrong signature, a missing delimiter and malformed JSON", () => {
    const bad = frames();
    bad[2] = Buffer.from("0".repeat(64));
    expect(() => decode(bad, signer)).toThrow(new WireError("invalid HMAC signature"));
    expect(() =>
      decode(
        frames().filter((f) => String(f) !== "<IDS|MSG>"),
        signer,
      ),
    ).toThrow("without <IDS|MSG> delimiter");
    const body = ["{", "{}", "{}", "{}"];
    expect(() => decode([Buffer.from("<IDS|MSG>"), Buffer.from(signer.sign(body)), ...body.map((b) => Buffer.from(b))], signer)).toThrow(
      "malformed JSON frame",
    );
  });

  it("answers with the parent's header, session and identities", () => {
    const reply = makeMessage("execute_reply", { status: "ok" }, "kernel-session", decode(frames(), signer));
    expect(reply.parent_header).toEqual(msg.header);
    expect(reply.identities.map(String)).toEqual(["client-id"]);
    expect(reply.header.session).toBe("kernel-session");
  });
});
