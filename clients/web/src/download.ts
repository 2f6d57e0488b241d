// A download made in the browser from what the page holds (a Blob and a
// temporary object URL, revoked a moment later): nothing is asked of the node and
// nothing goes into the page's address. Only for what carries no personal
// data (statistics tables and charts).
export function download(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
