import QRCode from 'qrcode';

/** A QR code rendered on the server (the `qrcode` package) as an SVG image. */
export async function QrCode({ value, label, size = 192 }: { value: string; label: string; size?: number }) {
  const svg = await QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: size });
  return (
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`}
      alt={label}
      width={size}
      height={size}
      className="mx-auto rounded-lg bg-white p-2 ring-1 ring-zinc-200"
    />
  );
}
