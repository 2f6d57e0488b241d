// A file the browser saves from what the page holds in memory (a saved
// checkpoint, the log bundle, a statistics table or chart): a Blob behind
// an object URL and a click on a link with `download`. Nothing is asked of
// the node, nothing goes to browser storage or into the page's address.
//
// downloadFile returns the URL for the caller to revoke (revokeDownload)
// when the page no longer offers it; download revokes it itself a moment
// later.
export function downloadFile(parts: BlobPart[], type: string, filename: string): string {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  return url;
}

export function revokeDownload(url: string | null): void {
  if (url) URL.revokeObjectURL(url);
}

export function download(name: string, type: string, content: string): void {
  const url = downloadFile([content], type, name);
  setTimeout(() => revokeDownload(url), 1000);
}
