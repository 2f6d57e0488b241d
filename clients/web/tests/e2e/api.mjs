// The node's JSON API (the Connect protocol, unary) called by the test
// itself, outside the browser, with a user's client certificate — to set up
// what a flow needs and to compare what a page shows with what the node
// answers. The node's certificate is verified against the test CA
// (NODE_EXTRA_CA_CERTS, set by run.mjs).
import { request } from "node:https";
import { readFileSync } from "node:fs";

// POST /{service}/{method} with `body` as JSON; resolves to the parsed
// answer, rejects with the status and the node's error on anything but 200.
export function callApi(env, certificate, path, body) {
  const url = new URL(path, env.origin);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      cert: readFileSync(certificate.certPath),
      key: readFileSync(certificate.keyPath),
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
