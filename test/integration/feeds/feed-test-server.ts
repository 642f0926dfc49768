import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 whose routes each test sets, recording every request. */
export class FeedTestServer {
  readonly requests: IncomingMessage[] = [];
  /** Connections opened to this server so far. */
  connections = 0;
  private readonly routes = new Map<string, Handler>();
  private readonly server: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor() {
    this.server = createServer((request, response) => {
      this.requests.push(request);
      const handler = this.routes.get(new URL(request.url ?? '/', 'http://x').pathname);
      if (handler) handler(request, response);
      else response.writeHead(404).end('not found');
    });
    this.server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** URL of a path on this server, by IP literal. */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  route(path: string, handler: Handler): void {
    this.routes.set(path, handler);
  }

  /** Serve fixed bytes with the given headers. */
  serve(path: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
    this.route(path, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml', ...headers });
      response.end(body);
    });
  }

  requestsTo(path: string): IncomingMessage[] {
    return this.requests.filter(
      (request) => new URL(request.url ?? '/', 'http://x').pathname === path,
    );
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A small valid RSS 2.0 document with the given item titles. */
export function rssDocument(titles: string[], encodingDeclaration = 'UTF-8'): string {
  const items = titles
    .map(
      (title, index) =>
        `<item><title>${title}</title><link>https://news.example.org/story/${index}</link><guid>story-${index}</guid><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate><description>About ${title}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${encodingDeclaration}"?>\n<rss version="2.0"><channel><title>Test feed</title><link>https://news.example.org/</link>\n${items}\n</channel></rss>\n`;
}
