import { NextResponse, type NextRequest } from 'next/server';

// An order link (`/order/{no}?token=…`, from the API or the delivery e-mail) is turned into
// an HttpOnly cookie scoped to that order and a clean URL, so the token does not stay in
// the address bar, the history or later request logs.
export function proxy(req: NextRequest) {
  const match = /^\/order\/(\d{16,32})$/.exec(req.nextUrl.pathname);
  const token = req.nextUrl.searchParams.get('token');
  if (!match || !token) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.searchParams.delete('token');
  const res = NextResponse.redirect(url, 303);
  res.headers.set('Referrer-Policy', 'no-referrer');
  res.cookies.set(`ofk_o_${match[1]}`, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: req.nextUrl.protocol === 'https:',
    maxAge: 60 * 60 * 24 * 30,
  });
  return res;
}

export const config = { matcher: ['/order/:path*'] };
