// The services `npm start` runs, in start order. Each names the built file it needs (`entry`), its
// command line and its URL; stack.mjs skips, with a message, a service whose entry is not built.

/** @param {{ root: string, dataDir: string, port: (service: string, fallback: number) => number }} ctx */
export function localServices({ root, dataDir, port }) {
  const pushgatewayPort = port('pushgateway', 9091);
  return [
    {
      name: 'pushgateway',
      entry: `${root}/apps/pushgateway/dist/main.js`,
      command: process.execPath,
      args: [`${root}/apps/pushgateway/dist/main.js`, `--web.listen-address=127.0.0.1:${pushgatewayPort}`, `--persistence.file=${dataDir}/pushgateway/groups.json`],
      url: `http://127.0.0.1:${pushgatewayPort}/metrics`,
    },
  ];
}
