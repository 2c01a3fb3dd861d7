import express from 'express';

/**
 * The intake benchmark's baseline: Express 5 parsing the same JSON bodies with the same limit as
 * `POST /api/v1/reports`, and answering as it does, without doing anything with them.
 */
const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/api/v1/reports', express.json({ limit: '32kb', strict: true }), (_req, res) => {
  res.status(201).set('Cache-Control', 'no-store').json({ receipt: 'NOT-A-RECEIPT', status: 'received' });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
