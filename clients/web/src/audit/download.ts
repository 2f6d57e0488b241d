// A file the browser saves from what the page holds in memory (a saved
// checkpoint, the log bundle): a Blob behind an object URL and a click on a
// link with `download`. Nothing goes to browser storage. The caller revokes
// the URL (revokeDownload) when the page no longer offers it.
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
