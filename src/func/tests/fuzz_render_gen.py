import random, struct, subprocess, os
random.seed(int(os.environ.get("SEED","1")))
vals=[]
for i in range(6000):
    k=i%6
    if k==0:
        b=random.getrandbits(64)
        d=struct.unpack('<d',struct.pack('<Q',b))[0]
    elif k==1:
        d=random.uniform(-1e6,1e6)
    elif k==2:
        d=round(random.uniform(0,1000),random.randint(0,6))
    elif k==3:
        d=random.randint(1,10**random.randint(1,22))*10.0**random.randint(-30,30)
    elif k==4:
        d=float(random.randint(-2**60,2**60))
    else:
        d=random.random()*10**random.randint(-320,308)
    if d!=d or d in (float('inf'),float('-inf')): continue
    vals.append(d)
lits=['%.17e'%d for d in vals]
out=[]
SQ=os.environ.get("SQ", "/tmp/ref/sq")
fmts=["%.3f","%e","%.10g","%g","%.1f","%.0f","%!.15g","%.20e","%15.6f","%,.2f","%.25f"]
for i in range(0,len(lits),500):
    chunk=lits[i:i+500]
    args=[]
    for j,l in enumerate(chunk):
        f=fmts[(i+j)%len(fmts)]
        args.append("SELECT CAST(%s AS TEXT), printf('%s', %s), round(%s, %d), '%s'+0" % (l, f, l, l, (i+j)%8, l))
    r=subprocess.run([SQ]+args,capture_output=True).stdout.decode().strip().split("\n")
    assert len(r)==len(chunk),(len(r),len(chunk))
    for j,(l,line) in enumerate(zip(chunk,r)):
        f=fmts[(i+j)%len(fmts)]
        parts=[p.split("|",1)[1] for p in line.split(" ; ")]
        out.append("\t".join([l,parts[0],f,parts[1],str((i+j)%8),parts[2],parts[3]]))
open(os.environ.get("OUT","render.tsv"),"w").write("\n".join(out)+"\n")
print(len(out))
