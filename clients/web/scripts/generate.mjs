// Generates the typed messages and service descriptors of resguardo.v1 (and
// the google.type.Date they use, and google.rpc's error details) into src/gen/ with Debian's protoc and
// protoc-gen-es from node_modules: the web client's API types come from the
// same .proto files as the node's and the CLI's, never retyped.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, "..");
const repo = resolve(web, "../..");
const protoRoot = join(repo, "proto");
const out = join(web, "src/gen");

// google/type/date.proto and money.proto: Debian's golang-github-gogo-googleapis-dev, the
// package the node's build uses (cmake/ResguardoDependencies.cmake).
const googleapis = [
  "/usr/share/gocode/src/github.com/gogo/googleapis",
].find((d) => existsSync(join(d, "google/type/date.proto")));
if (!googleapis) {
  console.error(
    "generate: google/type/date.proto not found; run bash deploy/install-deps.sh",
  );
  process.exit(1);
}

const own = readdirSync(join(protoRoot, "resguardo/v1"))
  .filter((f) => f.endsWith(".proto"))
  .map((f) => `resguardo/v1/${f}`)
  .sort();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(
  "protoc",
  [
    `--plugin=protoc-gen-es=${join(web, "node_modules/.bin/protoc-gen-es")}`,
    `--es_out=${out}`,
    "--es_opt=target=ts,import_extension=none",
    `-I${protoRoot}`,
    `-I${googleapis}`,
    ...own,
    "google/type/date.proto",
    // A resolution's fine (case.proto's Sanction.fine_amount).
    "google/type/money.proto",
    // google.rpc.BadRequest and LocalizedMessage: the details of the node's
    // errors.
    "google/rpc/error_details.proto",
  ],
  { stdio: "inherit" },
);
console.log(`generate: ${own.length + 2} files into src/gen/`);
