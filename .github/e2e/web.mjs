// The e2e job's stand-in for a service image: answers /health on PORT (given by the sandbox, as ECS maps ports).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(req.url === '/health' ? `ok ${process.env.IMAGE_TAG ?? ''}\n` : 'not found\n');
}).listen(port, () => console.log(`web listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
