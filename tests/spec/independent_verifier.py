"""An independent mini-verifier written from docs/protocol.md alone (by a colleague who did
not read the code while writing it): it imports nothing from saylau, only pysodium, hashlib and
json. tests/spec/test_independent.py runs it on records, so the spec and the code cannot drift
apart silently. Terse on purpose: it is a test asset, not house style."""
import hashlib, json, sys
import pysodium
from pathlib import Path
L = 2**252 + 27742317777372353535851937790883648493
O = bytes(32)
G = bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
so = pysodium.sodium
def valid(b): return len(b)==32 and not b[31]&0x80 and (b==O or so.crypto_core_ristretto255_is_valid_point(b)==1)
def mul(s,P):
    s%=L
    if s==0 or P==O: return O
    return pysodium.crypto_scalarmult_ristretto255(s.to_bytes(32,'little'), P)
def bmul(s): return mul(s,G)
def add(P,Q):
    if P==O: return Q
    if Q==O: return P
    return pysodium.crypto_core_ristretto255_add(P,Q)
def neg(P): return O if P==O else pysodium.crypto_core_ristretto255_sub(O,P)
def sub(P,Q): return add(P,neg(Q))
import re
HEX = re.compile(r'^[0-9a-f]*$')
def hx(s,n=32):
    assert isinstance(s,str) and len(s)==2*n and HEX.match(s), s; return bytes.fromhex(s)
def el(s): b=hx(s); assert valid(b); return b
def scal(s): v=int.from_bytes(hx(s),'little'); assert v<L; return v
class Ix:
    def __init__(s,v): s.v=v
class Sc:
    def __init__(s,v): s.v=v
def ib(i):
    if isinstance(i,bytes): return i
    if isinstance(i,str): return i.encode()
    if isinstance(i,Ix): return i.v.to_bytes(8,'big')
    if isinstance(i,Sc): return (i.v%L).to_bytes(32,'little')
def frame(items): return b''.join(len(ib(i)).to_bytes(4,'big')+ib(i) for i in items)
def xmd(msg,dst,n=64):
    dp=dst+bytes([len(dst)])
    b0=hashlib.sha512(bytes(128)+msg+n.to_bytes(2,'big')+b'\0'+dp).digest()
    b1=hashlib.sha512(b0+b'\1'+dp).digest(); return b1[:n]
def h2s(tag,items): return int.from_bytes(xmd(frame(items),tag.encode()),'little')%L
def digest(tag,items): return hashlib.sha256(frame([tag,*items])).digest()
def cj(v): return json.dumps(v,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()
def schnorr_ok(c,v,X,ctx): return h2s("saylau-v1/proof/schnorr",[*ctx,G,X,sub(bmul(v),mul(c,X))])==c
def cp_ok(c,v,X,B,D,ctx):
    return h2s("saylau-v1/proof/chaum-pedersen",[*ctx,G,X,B,D,sub(bmul(v),mul(c,X)),sub(mul(v,B),mul(c,D))])==c
def sig_ok(c,s,X,msg,ctx): return h2s("saylau-v1/signature",[*ctx,G,X,msg,sub(bmul(s),mul(c,X))])==c
def disj_ok(pf,K,a,b,vals,ctx):
    cs=[scal(x) for x in pf['challenges']]; vs=[scal(x) for x in pf['responses']]
    if len(cs)!=len(vals) or len(vs)!=len(vals): return False
    items=[*ctx,G,K,a,b,Ix(len(vals)),*[Ix(v) for v in vals]]
    for m,c,v in zip(vals,cs,vs):
        items+=[sub(bmul(v),mul(c,a)), sub(mul(v,K),mul(c,sub(b,bmul(m))))]
    return sum(cs)%L==h2s("saylau-v1/proof/disjunctive",items)
R=Path(sys.argv[1]); fails=[]
def F(check,item,msg): fails.append((check,item,msg))
import os
def through_link(n):
    p=R
    for part in Path(os.path.normpath(n)).parts:
        p=p/part
        if p.is_symlink(): return True
    return False
def load(n):
    assert not through_link(n), n
    v=json.loads((R/n).read_bytes())
    def depth(x): return 1+max([depth(c) for c in (x.values() if isinstance(x,dict) else x)]+[0]) if isinstance(x,(dict,list)) else 0
    assert depth(v)<=32
    return v
idx=load('record.json')
for n,d in idx['files'].items():
    if through_link(n): F('record.files',n,'link'); continue
    if hashlib.sha256((R/n).read_bytes()).hexdigest()!=d: F('record.files',n,'digest')
present=[]
for top,dirs,files in os.walk(R):
    rel=Path(top).relative_to(R)
    present+=[(rel/f).as_posix() for f in files]+[(rel/x).as_posix() for x in dirs if (Path(top)/x).is_symlink()]
for n in present:
    if n!='record.json' and n not in idx['files']: F('record.files',n,'unlisted')
man=load('manifest.json'); el_=load('election.json')
eid=man['election_id']
# DKG
T=load('dkg.json'); n,t=T['n'],T['t']
ctxd=["saylau-v1/dkg",eid,Ix(n),Ix(t)]
PK={}
for j,k in enumerate(T['transport_keys'],1):
    assert k['trustee']==j; PK[j]=el(k['public'])
    assert schnorr_ok(scal(k['proof']['challenge']),scal(k['proof']['response']),PK[j],[*ctxd,"saylau-v1/dkg/transport-key",Ix(j)])
H=pysodium.crypto_core_ristretto255_from_hash(xmd(b"H",b"saylau-v1/generator/pedersen-h"))
assert H.hex()=="06ab22a44acc6b8d53cdede18a1d3c9c2435b4161f77885f39c383a59328fa2f"
def horner(Cs,j):
    acc=Cs[-1]
    for C in reversed(Cs[:-1]): acc=add(mul(j,acc),C)
    return acc
deals={}; complete=set()
for d in T['deals']:
    i=d['dealer']; Cs=[el(x) for x in d['commitments']]
    items=[Ix(i),Ix(len(Cs)),*Cs,Ix(len(d['shares']))]
    for s in d['shares']: items+=[Ix(s['recipient']),el(s['ephemeral']),hx(s['ciphertext'],64)]
    assert sig_ok(scal(d['signature']['challenge']),scal(d['signature']['response']),PK[i],digest("saylau-v1/dkg/deal",items),ctxd)
    deals[i]=(Cs,{s['recipient']:(el(s['ephemeral']),hx(s['ciphertext'],64)) for s in d['shares']})
    if len(Cs)==t and [s['recipient'] for s in d['shares']]==[j for j in range(1,n+1) if j!=i]: complete.add(i)
def judge(c):
    i,j=c['dealer'],c['recipient']; Cs,sh=deals[i]; Rr,ct=sh[j]; DH=el(c['dh'])
    assert cp_ok(scal(c['proof']['challenge']),scal(c['proof']['response']),PK[j],Rr,DH,[*ctxd,"saylau-v1/dkg/disclosure",Ix(i),Ix(j)])
    pad=xmd(frame(["saylau-v1/dkg/share-pad",*ctxd,Ix(i),Ix(j),Rr,PK[j],DH]),b"saylau-v1/dkg/share-pad")
    pl=bytes(x^y for x,y in zip(ct,pad)); s1=int.from_bytes(pl[:32],'little'); s2=int.from_bytes(pl[32:],'little')
    if s1>=L or s2>=L or add(bmul(s1),mul(s2,H))!=horner(Cs,j): return None
    return s1
founded=set(); shares={}
for c in T['complaints']:
    v=judge(c)
    if v is None: founded.add(c['dealer'])
    else: shares[(c['dealer'],c['recipient'])]=v
qual=sorted(complete-founded); assert T['qual']==qual and qual
for c in T['disclosures']:
    v=judge(c)
    if v is not None: shares[(c['dealer'],c['recipient'])]=v
feld={}
for e in T['extractions']:
    i=e['dealer']; As=[el(x) for x in e['commitments']]; pc,pv=scal(e['proof']['challenge']),scal(e['proof']['response'])
    assert sig_ok(scal(e['signature']['challenge']),scal(e['signature']['response']),PK[i],digest("saylau-v1/dkg/extraction",[Ix(i),Ix(len(As)),*As,Sc(pc),Sc(pv)]),ctxd)
    if len(As)!=t or not schnorr_ok(pc,pv,As[0],[*ctxd,"saylau-v1/dkg/extraction",Ix(i)]): continue
    if any(bmul(s)!=horner(As,j) for (ii,j),s in shares.items() if ii==i): continue
    feld[i]=As
def interpolate(pts):
    # coefficients (mod L) of the polynomial of degree < len(pts) through the points (§6.7)
    coef=[0]*len(pts)
    for j,y in pts:
        basis=[1]; den=1
        for m,_ in pts:
            if m==j: continue
            basis=[(a-m*b)%L for a,b in zip([0]+basis,basis+[0])]; den=den*(j-m)%L
        f=y*pow(den,-1,L)%L
        coef=[(c+f*b)%L for c,b in zip(coef,basis)]
    return coef
for i in qual:
    if i in feld: continue
    pts=sorted((j,v) for (ii,j),v in shares.items() if ii==i)[:t]
    assert len(pts)==t, ('reconstruction', i)
    feld[i]=[bmul(a) for a in interpolate(pts)]
Ah=[O]*t
for i in qual:
    for k in range(t): Ah[k]=add(Ah[k],feld[i][k])
K=Ah[0]; X={j:horner(Ah,j) for j in range(1,n+1)}
assert K!=O and K.hex()==T['joint_public_key']==el_['joint_public_key']
fp=digest("saylau-v1/election-fingerprint",[cj(man),"ristretto255",G,K])
assert fp.hex()==el_['fingerprint']==idx['fingerprint']
# credentials
cr=load('credentials.json'); roll=load('roll.json')
mdist=[d['id'] for d in man['districts']]
if set(cr['districts'])!=set(mdist): F('credentials','credentials.json','districts')
if not isinstance(roll['districts'],dict) or set(roll['districts'])!=set(mdist): F('credentials','roll.json','districts')
cmap={}
for d,lst in cr['districts'].items():
    if d not in roll['districts']: continue
    assert len(lst)==roll['districts'][d]
    for x in lst: el(x); assert x not in cmap; cmap[x]=d
# manifest helpers
contests={c['id']:c for c in man['contests']}; styles={s['id']:s['contests'] for s in man['ballot_styles']}
dstyle={d['id']:styles[d['ballot_style']] for d in man['districts']}
def weight(c,j): return c['max_marks'] if c['options'][j].get('against_all',False) else 1
def ballot_ok(b):
    if hx(b['election'])!=fp: return 'election'
    S=el(b['credential'])
    if cmap.get(b['credential'])!=b['district']: return 'cred'
    if [c['id'] for c in b['contests']]!=dstyle[b['district']]: return 'contests'
    for c in b['contests']:
        mc=contests[c['id']]
        if len(c['choices'])!=len(mc['options']): return 'n'
        Wa,Wb=O,O
        for j,ch in enumerate(c['choices']):
            a,bb=el(ch['alpha']),el(ch['beta'])
            if not disj_ok(ch['proof'],K,a,bb,[0,1],[fp,S,c['id'],Ix(j)]): return '01'
            for _ in range(weight(mc,j)): Wa,Wb=add(Wa,a),add(Wb,bb)
        if not disj_ok(c['range_proof'],K,Wa,Wb,list(range(mc['min_marks'],mc['max_marks']+1)),[fp,S,c['id'],"total"]): return 'range'
    msg=hashlib.sha256(cj({k:v for k,v in b.items() if k!='signature'})).digest()
    if not sig_ok(scal(b['signature']['challenge']),scal(b['signature']['response']),S,msg,[fp]): return 'sig'
    return None
lines=(R/'board/leaves.jsonl').read_bytes().split(b'\n'); assert lines[-1]==b''; lines=lines[:-1]
lh=[hashlib.sha256(b'\0'+l).digest() for l in lines]
latest={}; over={}; okb={}; closed=None; last=-1
KEYS={'open':{'election'},'cast':{'ballot'},'revote':{'ballot','replaces'},'paper_override':{'credential','precinct'},'close':set()}
for i,l in enumerate(lines):
    e=json.loads(l)
    if e.get('type') in KEYS and set(e)!={'type','time'}|KEYS[e['type']]: F('board.leaf',i,'keys'); continue
    if any(k in e and not isinstance(e[k],str) for k in ('election','credential','precinct')): F('board.leaf',i,'type'); continue
    if e['time']<last: F('board.rule',i,'time')
    last=max(last,e['time'])
    if closed is not None: F('board.rule',i,'after close')
    if i==0:
        if e['type']!='open' or e['election']!=fp.hex(): F('board.rule',0,'open')
        continue
    if e['type'] in ('cast','revote'):
        b=e['ballot']; code=hashlib.sha256(cj(b)).hexdigest(); c=b['credential']
        r=ballot_ok(b)
        if r: F('ballot',i,r)
        else: okb[i]=b
        if c in over: F('board.rule',i,'after override')
        if e['type']=='cast' and c in latest: F('board.rule',i,'2nd cast')
        if e['type']=='revote' and (c not in latest or latest[c][1]!=e['replaces']): F('board.rule',i,'revote')
        latest[c]=(i,code)
    elif e['type']=='paper_override':
        if e['credential'] in over or e['credential'] not in cmap: F('board.rule',i,'override')
        over[e['credential']]=i
    elif e['type']=='close': closed=i
    else: F('board.rule',i,'type')
if closed is None: F('board.rule',len(lines),'never closed')
def mth(hs):
    if not hs: return hashlib.sha256(b'').digest()
    if len(hs)==1: return hs[0]
    k=1
    while k*2<len(hs): k*=2
    return hashlib.sha256(b'\1'+mth(hs[:k])+mth(hs[k:])).digest()
bpk=hx(el_['board_public_key'])
def head_ok(h):
    msg=frame(["saylau-v1/board/tree-head",fp,Ix(h['tree_size']),Ix(h['timestamp']),hx(h['root_hash'])])
    assert len(msg)==125
    pysodium.crypto_sign_verify_detached(hx(h['signature'],64),msg,bpk); return True
heads=[json.loads(x) for x in (R/'board/heads.jsonl').read_bytes().split(b'\n') if x]
for h in heads:
    head_ok(h)
    if mth(lh[:h['tree_size']]).hex()!=h['root_hash']: F('board.heads',h['tree_size'],'root')
assert heads[-1]['tree_size']==len(lines)
def incl_ok(leafh,m,n,path,root):
    fn,sn,r=m,n-1,leafh
    for p in path:
        if sn==0: return False
        if fn&1 or fn==sn:
            r=hashlib.sha256(b'\1'+p+r).digest()
            while not fn&1 and fn!=0: fn,sn=fn>>1,sn>>1
        else: r=hashlib.sha256(b'\1'+r+p).digest()
        fn,sn=fn>>1,sn>>1
    return sn==0 and r==root
nrec=0
for x in (R/'receipts.jsonl').read_bytes().split(b'\n'):
    if not x: continue
    rc=json.loads(x); ip=rc['inclusion_proof']; h=rc['tree_head']; nrec+=1
    e=json.loads(lines[ip['leaf_index']])
    assert hashlib.sha256(cj(e['ballot'])).hexdigest()==rc['tracking_code']
    head_ok(h); assert incl_ok(lh[ip['leaf_index']],ip['leaf_index'],ip['tree_size'],[hx(p) for p in ip['path']],hx(h['root_hash']))
    assert mth(lh[:h['tree_size']]).hex()==h['root_hash']
# tally
counted={i for c,(i,_) in latest.items() if c not in over and i in okb}
sums={}; nb={}
for d in man['districts']:
    nb[d['id']]=0; sums[d['id']]={c:[(O,O)]*len(contests[c]['options']) for c in dstyle[d['id']]}
for i in sorted(counted):
    b=okb[i]; nb[b['district']]+=1
    for c in b['contests']:
        acc=sums[b['district']][c['id']]
        for j,ch in enumerate(c['choices']): acc[j]=(add(acc[j][0],el(ch['alpha'])),add(acc[j][1],el(ch['beta'])))
ta=load('tally.json'); S_=ta['trustees']
assert isinstance(ta,dict) and isinstance(ta['districts'],list)
def lam(j):
    num=den=1
    for m in S_:
        if m!=j: num=num*m%L; den=den*(m-j)%L
    return num*pow(den,-1,L)%L
res=load('results.json')
onl={}
if set(res)!={'schema','districts'} or res['schema']!='saylau-results/1': F('results','results.json','keys')
if set(res['districts'])!={td['id'] for td in ta['districts']}: F('results','results.json','districts')
for td in ta['districts']:
    rd=res['districts'].get(td['id'],{})
    if set(rd)!={'ballots_counted','contests'} or set(rd['contests'])!=set(dstyle[td['id']]): F('results',td['id'],'contests')
    for c in dstyle[td['id']]:
        if set(rd.get('contests',{}).get(c,{}))!={o['id'] for o in contests[c]['options']}: F('results',(td['id'],c),'options')
for td in ta['districts']:
    d=td['id']; assert td['ballots_counted']==nb[d]==res['districts'][d]['ballots_counted']
    for tc in td['contests']:
        for j,o in enumerate(tc['options']):
            a,b=sums[d][tc['id']][j]
            if (o['alpha'],o['beta'])!=(a.hex(),b.hex()): F('tally.aggregate',(d,tc['id'],j),'sum')
            comb=O
            if len({s['trustee'] for s in o['shares']})!=len(o['shares']): F('tally.decryption',(d,j),'twice')
            for s in o['shares']:
                D=el(s['share']); jj=s['trustee']
                if not cp_ok(scal(s['proof']['challenge']),scal(s['proof']['response']),X[jj],a,D,[fp,d,tc['id'],Ix(j),"saylau-v1/tally/decryption-share",Ix(jj)]): F('tally.decryption',(d,j),'cp')
                comb=add(comb,mul(lam(jj),D))
            mG=sub(b,comb); acc=O; m=None
            for k in range(nb[d]+1):
                if acc==mG: m=k; break
                acc=add(acc,G)
            if m!=o['count'] or type(o['count']) is not int: F('tally.count',(d,j),m)
            onl.setdefault(d,{}).setdefault(tc['id'],{})[contests[tc['id']]['options'][j]['id']]=m
            got=res['districts'][d]['contests'][tc['id']].get(contests[tc['id']]['options'][j]['id'])
            if got!=m or type(got) is not int: F('results',(d,j),m)
# paper voting (§12.10, §13): written from the spec
PF=['paper/stations.json','paper/protocols.jsonl','consolidation.json']
have=[f for f in PF if (R/f).is_file()]; SJ='sanctions.json'
if (R/SJ).is_file() and not have: F('sanctions',PF,'missing')
if over and not have and not (R/SJ).is_file(): F('paper','board/leaves.jsonl','overrides need the paper part')
if have and len(have)<3: F('paper',have,'missing')
elif have:
    st=load(PF[0]); sd={x['code']:x['district'] for x in st['stations']}
    if st['schema']!='saylau-stations/1' or len(sd)!=len(st['stations']) or list(sd)!=sorted(sd): F('paper.stations','-','shape')
    NL=['voters_on_list','ballots_received','ballots_issued','ballots_cancelled','ballots_spoiled','ballots_lost','ballots_in_boxes','invalid','valid']
    pl=[json.loads(x) for x in (R/PF[1]).read_bytes().split(b'\n') if x]
    keys=[(p['station'],p['contest'],p['revision']) for p in pl]
    if keys!=sorted(set(keys)): F('paper.protocols','-','order')
    revs={}; best={}; iss={}
    for p in pl:
        k=(p['station'],p['contest']); revs.setdefault(k,[]).append(p['revision'])
        if p['station'] not in sd or sd[p['station']]!=p['district'] or p['contest'] not in dstyle[p['district']]: F('paper.protocols',k,'where')
        if (p['revision']>1)!=(p['reason']!='') or not re.fullmatch('[0-9a-f]{64}',p['scan_sha256']): F('paper.protocols',k,'reason/scan')
        n=p['counts']; ct=contests[p['contest']]; V=sum(p['options'].values())
        if set(n)!=set(NL) or set(p['options'])!={o['id'] for o in ct['options']}: F('paper.protocols',k,'fields'); continue
        ok=(n['ballots_issued']<=n['ballots_received'] and n['ballots_received']==n['ballots_issued']+n['ballots_cancelled']+n['ballots_spoiled']+n['ballots_lost']
            and n['ballots_in_boxes']<=n['ballots_issued'] and n['valid']+n['invalid']==n['ballots_in_boxes'] and n['ballots_issued']<=n['voters_on_list']
            and (V==n['valid'] if ct['min_marks']==ct['max_marks']==1 else V<=ct['max_marks']*n['valid']))
        if not ok: F('paper.relations',k,'relation')
        iss[p['station']]=max(iss.get(p['station'],0),n['ballots_issued'])
        if k not in best or p['revision']>best[k]['revision']: best[k]=p
    for k,r in revs.items():
        if sorted(r)!=list(range(1,len(r)+1)): F('paper.protocols',k,'revisions')
    per={}
    for i in sorted(over.values()):
        pr=json.loads(lines[i])['precinct']
        if pr not in sd: F('paper.overrides',i,'station')
        per[pr]=per.get(pr,0)+1
    for s_,n in per.items():
        if s_ in sd and n>iss.get(s_,0): F('paper.overrides',s_,'too many')
    # sanctions (§14): sanctions.json checked (§14.4, 28b-28d), then applied (§14.3)
    S=[]; V='set_aside'; sok=True
    if (R/SJ).is_file():
        sj=load(SJ)
        if not isinstance(sj,dict) or sj.get('schema')!='saylau-sanctions/1' or set(sj)!={'schema','deregistered_votes','sanctions'} or sj['deregistered_votes'] not in ('set_aside','invalid') or not isinstance(sj['sanctions'],list): F('sanctions',SJ,'shape'); sok=False
        else:
            V=sj['deregistered_votes']; REQ={'id','kind','decision','decided_at'}; ALL=REQ|{'district','contest','option','station'}
            NOT={'deregister_candidate':{'station'},'annul_station':{'contest','option'},'annul_district':{'option','station'}}
            ids_=set()
            for i,x in enumerate(sj['sanctions']):
                if not isinstance(x,dict) or not REQ<=set(x)<=ALL or not all(isinstance(v,str) and v for v in x.values()): F('sanctions',i,'entry'); sok=False; continue
                bad=x['id'] in ids_; ids_.add(x['id']); k_=x['kind']; D_=x.get('district')
                bad=bad or k_ not in ('warning','exclude_member','deregister_candidate','annul_station','annul_district') or bool(NOT.get(k_,set())&set(x))
                bad=bad or (D_ is not None and D_ not in dstyle)
                if not bad and k_=='deregister_candidate':
                    ballot=dstyle[D_] if D_ else contests
                    bad=x['contest'] not in ballot or not any(o['id']==x['option'] and not o.get('against_all') for o in contests[x['contest']]['options'])
                if not bad and k_=='annul_station': bad=x['station'] not in sd or (D_ is not None and sd[x['station']]!=D_)
                if not bad and k_=='annul_district': bad=D_ is None or ('contest' in x and x['contest'] not in dstyle[D_])
                if bad: F('sanctions',x['id'],'does not fit'); sok=False
                S.append(x)
    AS={x['station'] for x in S if x['kind']=='annul_station'}
    cd=load(PF[2]); Rm=cd['recount_margin']; mine={}
    for d in man['districts']:
        D=d['id']; cs={}
        for c in dstyle[D]:
            ops=[o['id'] for o in contests[c]['options']]; aa=[o['id'] for o in contests[c]['options'] if o.get('against_all')]
            on={o:onl.get(D,{}).get(c,{}).get(o,0) for o in ops}; pa={o:0 for o in ops}; pv=pi=ns=0; ann=set()
            for (s_,c2),p in best.items():
                if c2==c and sd.get(s_)==D:
                    if s_ in AS: ann.add(s_); continue
                    ns+=1; pv+=p['counts']['valid']; pi+=p['counts']['invalid']
                    for o in ops: pa[o]+=p['options'][o]
            X=[o for o in ops if any(x['kind']=='deregister_candidate' and x['contest']==c and x['option']==o and x.get('district',D)==D for x in S)]
            T={o:0 if o in X else on[o]+pa[o] for o in ops}; k=contests[c]['max_marks']
            ordn=[o for o in ops if o not in aa]; rk=sorted(ordn,key=lambda o:-T[o])
            A=T[aa[0]] if aa else 0; bar=max(A,T[rk[k]] if len(rk)>k else 0)
            win=[o for o in rk if T[o]>bar]; tie=len(win)<k and any(T[o]==bar>0 for o in rk)
            mg=0 if tie else (min(T[o] for o in win)-bar if win else bar-T[rk[0]])
            cs[c]={'online':on,'paper':pa,'paper_valid':pv,'paper_invalid':pi,'paper_stations':ns,'total':T,'winners':win,'tie':tie,'margin':mg,'recount':tie or (any(T.values()) and mg<=Rm)}
            if ann: cs[c]['annulled_stations']=sorted(ann)
            if X: cs[c]['excluded']={o:on[o]+pa[o] for o in X}; cs[c]['invalid']=pi+(sum(on[o]+pa[o] for o in X) if V=='invalid' else 0)
            if any(x['kind']=='annul_district' and x['district']==D and x.get('contest',c)==c for x in S): cs[c].update(annulled=True,winners=[],tie=False,margin=None,recount=False)
        mine[D]={'online_ballots':nb.get(D,0),'contests':cs}
    top={'schema':'saylau-consolidation/1','recount_margin':Rm,'districts':mine}
    if S: top.update(sanctions=[x['id'] for x in S],deregistered_votes=V)
    if sok and cd!=top: F('consolidation','consolidation.json','differs')
print("independent verifier:", "OK" if not fails else fails, "| leaves", len(lines), "counted", len(counted), "receipts", nrec)
sys.exit(1 if fails else 0)
