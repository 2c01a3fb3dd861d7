// Optional: the pages work without it. It moves focus to the error summary and offers to copy the receipt.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  const copy = document.querySelector('button.copy');
  const code = document.getElementById('receipt');
  if (!copy || !code || !navigator.clipboard) return;
  copy.hidden = false;
  copy.addEventListener('click', async () => {
    await navigator.clipboard.writeText(code.textContent.trim());
    const done = document.getElementById('copy-done');
    if (done) done.textContent = copy.dataset.done;
  });
});
