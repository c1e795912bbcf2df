const P=require('tree-sitter');const Py=require('tree-sitter-python');const p=new P();p.setLanguage(Py);
const src=require('fs').readFileSync(process.argv[2],'utf8');
const t=p.parse(src);
function pr(n,d,f){console.log('  '.repeat(d)+(f?f+': ':'')+n.type+(n.childCount===0?' '+JSON.stringify(n.text):''));const c=n.walk();if(c.gotoFirstChild()){do{if(c.nodeIsNamed)pr(c.currentNode,d+1,c.currentFieldName);}while(c.gotoNextSibling())}}
pr(t.rootNode,0);
